package io.flowraft.coordinator.scheduling;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's periodic housekeeping (the leader's lease expiry, long-poll wake-ups when a backoff ends) on
 * one thread. A tick that fails with an exception is logged and the next tick tries again. An {@link Error}
 * (out of memory, a stack overflow) leaves the process in a state nothing can vouch for: the ticker keeps
 * going but reports itself failed, which turns liveness DOWN so the node gets restarted.
 */
public final class Ticker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ticker.class);

    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("flowraft-ticker").daemon().factory());
    private final List<Runnable> tasks;
    private volatile Throwable failure;

    /** Starts ticking at once: every {@code periodMs}, each task in the order given. */
    public Ticker(long periodMs, List<Runnable> tasks) {
        this.tasks = List.copyOf(tasks);
        thread.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Scheduler tick failed; trying again on the next tick", e);
            } catch (Throwable e) {
                // Caught so the executor keeps scheduling (it would silently stop otherwise), but remembered.
                failure = e;
                log.error("Scheduler tick failed with an error; this node reports itself not live", e);
            }
        }
    }

    /** The error that made this ticker unreliable, or null while it is sound. */
    public Throwable failure() {
        return failure;
    }

    /** The executor that runs the ticks, for one-off delayed work that belongs to the same thread. */
    public ScheduledExecutorService executor() {
        return thread;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
