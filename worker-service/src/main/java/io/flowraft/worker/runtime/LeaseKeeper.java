package io.flowraft.worker.runtime;

import io.flowraft.contracts.HeartbeatResponse;
import io.flowraft.contracts.Lease;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.worker.spi.LeaseLostException;
import io.flowraft.worker.spi.RemoteText;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one attempt's lease: heartbeats it at about half of what remains, timed on the worker's monotonic clock
 * ({@link LeaseTime}), until the attempt no longer needs it or the coordinator stops moving the lease's end.
 * When the lease's local deadline comes unextended, it ends the attempt: the coordinator is expiring the lease
 * and will start the next attempt, which must not run beside this one.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** An unanswered heartbeat is tried again in a quarter of what remains, but no sooner than this. */
    private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Longest pause between two coordinators within one heartbeat: the lease is running out meanwhile. */
    private static final long MAX_PAUSE_MS = 200;

    private enum Result { EXTENDED, NOT_EXTENDED, FAILED }

    /** What the keeper needs of the attempt whose lease it keeps. */
    interface Attempt {

        /** Whether the lease still matters: the handler runs and nothing is being reported. */
        boolean needsLease();

        /** The coordinator said the lease is gone: nothing may be reported under it, the handler must stop. */
        void leaseRefused(String detail);

        /** The lease's local deadline has passed: as above, the coordinator just has not said so yet. */
        void leaseOver(String why);
    }

    private final Worker worker;
    private final Lease lease;
    private final LeaseTime time;
    private final Attempt attempt;
    /** One heartbeat at a time, so that every answer taken is newer than the one before. */
    private final ReentrantLock sending = new ReentrantLock();
    private volatile boolean extensible = true;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> nextHeartbeat;
    private ScheduledFuture<?> deadline;

    LeaseKeeper(Worker worker, Lease lease, long askedMs, long arrivedNanos, Attempt attempt) {
        this.worker = worker;
        this.lease = lease;
        this.time = new LeaseTime(worker.clock(), askedMs, lease, arrivedNanos);
        this.attempt = attempt;
    }

    LeaseTime time() {
        return time;
    }

    void start() {
        armDeadline();
        scheduleHeartbeat(time.nanosUntilHeartbeat());
    }

    void stop() {
        stopped = true;
        cancel(nextHeartbeat);
        synchronized (this) {
            cancel(deadline);
        }
    }

    /** A heartbeat now, for the handler; it then reads the outcome from {@link #time()}. */
    void heartbeat() {
        extend();
    }

    private void scheduleHeartbeat(long delayNanos) {
        if (stopped || !extensible) {
            return;
        }
        long renewals = time.renewals();
        try {
            nextHeartbeat = worker.heartbeats().schedule(() -> worker.runAsync(() -> backgroundHeartbeat(renewals)),
                    Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("No heartbeat scheduled, the worker has stopped");
        }
    }

    private void backgroundHeartbeat(long renewalsWhenScheduled) {
        if (stopped || !extensible || !attempt.needsLease()) {
            return;
        }
        if (time.renewals() != renewalsWhenScheduled) {
            // The handler heartbeated meanwhile: time the next one from its answer.
            scheduleHeartbeat(time.nanosUntilHeartbeat());
            return;
        }
        try {
            switch (extend()) {
                case EXTENDED -> scheduleHeartbeat(time.nanosUntilHeartbeat());
                case NOT_EXTENDED -> log.debug("Lease {} cannot be extended past {}", lease.leaseId(), time.expiresAt());
                case FAILED -> {
                    long left = time.nanosLeft();
                    long delay = Math.max(left / 4, MIN_RETRY_NANOS);
                    if (delay < left) {
                        scheduleHeartbeat(delay);
                    }
                }
            }
        } catch (LeaseLostException e) {
            // The attempt has been told; nothing more to keep.
        }
    }

    private synchronized void armDeadline() {
        if (stopped) {
            return;
        }
        cancel(deadline);
        try {
            deadline = worker.heartbeats().schedule(this::deadlineReached, Math.max(time.nanosLeft(), 0),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("No deadline set, the worker has stopped");
        }
    }

    private void deadlineReached() {
        if (stopped || !attempt.needsLease()) {
            return;
        }
        if (time.nanosLeft() > 0) {
            armDeadline();
            return;
        }
        attempt.leaseOver(extensible ? "no heartbeat was answered in time" : "it reached the task's timeoutMs");
    }

    /** One heartbeat, trying each coordinator once while the lease lasts. */
    private Result extend() {
        sending.lock();
        try {
            long[] sent = {0};
            int[] tries = {0};
            HeartbeatResponse answer = worker.coordinators().callWithRetry("Heartbeat of " + lease.leaseId(),
                    client -> {
                        sent[0] = worker.clock().nanoTime();
                        return client.heartbeat(lease.leaseId());
                    },
                    millis -> ++tries[0] < worker.coordinators().size() && pauseWhileLeaseLasts(millis));
            if (answer == null) {
                return counted(Result.FAILED);
            }
            boolean moved = time.extended(answer, sent[0]);
            armDeadline();
            if (!moved) {
                extensible = false;
                return counted(Result.NOT_EXTENDED);
            }
            return counted(Result.EXTENDED);
        } catch (FlowRaftProblemException e) {
            if (e.status() == 409 || e.status() == 404) {
                worker.metrics().heartbeat(lease.type(), "refused");
                attempt.leaseRefused(e.getMessage());
                throw new LeaseLostException(e.getMessage(), e);
            }
            log.warn("Heartbeat of {} refused: {}", lease.leaseId(), RemoteText.escape(e.getMessage()));
            return counted(Result.FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return counted(Result.FAILED);
        } finally {
            sending.unlock();
        }
    }

    private boolean pauseWhileLeaseLasts(long millis) throws InterruptedException {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(time.nanosLeft());
        return leftMs > 0 && worker.pauseWhileAlive(Math.min(millis, Math.min(MAX_PAUSE_MS, leftMs)));
    }

    private Result counted(Result result) {
        worker.metrics().heartbeat(lease.type(), switch (result) {
            case EXTENDED -> "extended";
            case NOT_EXTENDED -> "not-extended";
            case FAILED -> "failed";
        });
        return result;
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
