package io.flowraft.bench.peer;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The peer's load, shaped as FlowRaft's closed loop: {@code clients} clients, each scheduling a workflow's first
 * step, waiting until its last step completed, and starting the next, so the number in flight is the same as in
 * the FlowRaft run and the queue's speed sets the rate. A workflow is timed from just before its first step is
 * scheduled to just after its last step's row is deleted.
 */
final class ClosedLoop {

    /** How long one workflow may take before the loop stops starting new ones (a stuck queue will not recover). */
    static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    /** One loop's outcome; {@code seconds} runs from its start to its last finish. */
    record Outcome(int workflows, int completed, int unfinished, double seconds, Histogram latencyMicros) {
    }

    private final SchedulerClient scheduler;
    private final StepLedger ledger;

    ClosedLoop(SchedulerClient scheduler, StepLedger ledger) {
        this.scheduler = scheduler;
        this.ledger = ledger;
    }

    /** Runs workflows {@code from .. to - 1} with {@code clients} of them in flight at a time. */
    Outcome run(int from, int to, int clients) {
        Recorder latency = new Recorder(MAX_MICROS, 3);
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger completed = new AtomicInteger();
        AtomicLong lastFinish = new AtomicLong();
        AtomicBoolean stuck = new AtomicBoolean();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < Math.min(clients, to - from); c++) {
                threads.execute(() -> {
                    int workflow;
                    while (!stuck.get() && (workflow = next.getAndIncrement()) < to) {
                        long sent = System.nanoTime();
                        if (!one(workflow)) {
                            stuck.set(true);
                            return;
                        }
                        long finished = System.nanoTime();
                        latency.recordValue(Math.min(Math.max(TimeUnit.NANOSECONDS.toMicros(finished - sent), 1),
                                MAX_MICROS));
                        lastFinish.accumulateAndGet(finished, Math::max);
                        completed.incrementAndGet();
                    }
                });
            }
        }
        long end = Math.max(lastFinish.get(), start + 1);
        int workflows = to - from;
        return new Outcome(workflows, completed.get(), workflows - completed.get(), (end - start) / 1e9,
                latency.getIntervalHistogram());
    }

    /** Schedules the workflow and waits for its end; false if it did not end in time or could not start. */
    private boolean one(int workflow) {
        try {
            var done = ledger.expect(workflow);
            scheduler.schedule(ChainTask.first(workflow), Instant.now());
            done.get(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            System.err.println("peer: workflow " + workflow + " did not finish: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
