package io.flowraft.worker.runtime;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * The worker's clocks. A worker's wall clock need not agree with the leader's, so lease timing runs on the
 * monotonic clock ({@link #nanoTime()}) from when the leader's answer arrived; the wall clock
 * ({@link #instant()}) only serves to read an expiry instant when an older coordinator sends nothing else.
 * A bean of this type replaces {@link #system()}: tests use it to give a worker a skewed wall clock.
 */
public interface WorkerClock extends InstantSource {

    /** A reading of the monotonic clock, as {@link System#nanoTime()}: only differences between readings mean anything. */
    long nanoTime();

    static WorkerClock system() {
        return of(InstantSource.system(), System::nanoTime);
    }

    static WorkerClock of(InstantSource wall, LongSupplier monotonic) {
        return new WorkerClock() {
            @Override
            public Instant instant() {
                return wall.instant();
            }

            @Override
            public long nanoTime() {
                return monotonic.getAsLong();
            }
        };
    }
}
