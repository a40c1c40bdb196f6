package io.flowraft.coordinator.api.poll;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.coordinator.api.error.ApiProblemException;
import java.time.Duration;

/**
 * The end of a request that waits (a long poll, a wait for a workflow's end), in this JVM's monotonic time,
 * and the check of the {@code waitMs} a client asks for.
 *
 * <p>Timeouts are kept in milliseconds downstream; a wait rounded down would wake just before the deadline
 * and, with under a millisecond left, round to zero and spin. So waits are rounded up, and a wake-up this
 * close to the deadline counts as the deadline.
 */
public final class Deadline {

    /** The longest wait a client may ask for. */
    public static final long MAX_WAIT_MS = 60_000;

    /** A wake-up with less than this left is the deadline. */
    private static final Duration SLACK = Duration.ofMillis(2);

    private final long nanos;

    private Deadline(long nanos) {
        this.nanos = nanos;
    }

    static Deadline after(Duration wait) {
        return new Deadline(System.nanoTime() + wait.toNanos());
    }

    /**
     * A client's {@code waitMs}: absent means 0, answer at once. Refused with 400 naming {@code waitMs} outside
     * 0 to {@value #MAX_WAIT_MS}, rather than silently clamped, so a misconfigured client finds out.
     */
    public static Duration checkedWait(Long waitMs) {
        long millis = waitMs == null ? 0 : waitMs;
        if (millis < 0 || millis > MAX_WAIT_MS) {
            throw ApiProblemException.invalid(FlowRaftHttp.WAIT_MS,
                    "Expected waitMs between 0 and " + MAX_WAIT_MS + ", but found " + millis);
        }
        return Duration.ofMillis(millis);
    }

    /** Whether so little time is left that waiting any longer would only spin. */
    boolean passed() {
        return remaining().compareTo(SLACK) <= 0;
    }

    /** The time left, rounded up to whole milliseconds. */
    Duration remainingRoundedUp() {
        return Duration.ofMillis((remaining().toNanos() + 999_999) / 1_000_000);
    }

    private Duration remaining() {
        return Duration.ofNanos(nanos - System.nanoTime());
    }
}
