package io.flowraft.worker.runtime;

import io.flowraft.contracts.HeartbeatResponse;
import io.flowraft.contracts.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where one lease stands in time on this worker. The leader says how long the lease has left as of the commit
 * of its grant or of a heartbeat; added to this worker's monotonic reading of when that answer came, it gives
 * the lease's local deadline, which no disagreement between the worker's wall clock and the leader's can move.
 * Thread safe: the worker's heartbeats and the handler's own both renew it.
 */
final class LeaseTime {

    private final WorkerClock clock;
    private final long askedMs;
    private Instant expiresAt;
    private long renewedNanos;
    private long deadlineNanos;
    private long renewals;

    /**
     * @param askedMs      the lease length the worker asked for: no lease lasts longer
     * @param arrivedNanos when the poll answer carrying {@code lease} arrived. Not when the poll left: a long poll
     *                     may wait many seconds before the leader grants anything
     */
    LeaseTime(WorkerClock clock, long askedMs, Lease lease, long arrivedNanos) {
        this.clock = clock;
        this.askedMs = askedMs;
        renew(lease.leaseExpiresAt(), lease.leaseRemainingMs(), arrivedNanos);
    }

    /**
     * Takes a heartbeat's answer.
     *
     * @param sentNanos when the heartbeat that got {@code answer} left: the leader committed it after that, so
     *                  the deadline errs early, never late
     * @return whether the leader moved the lease's end; it no longer does once the lease has reached the task's
     *     {@code timeoutMs}
     */
    synchronized boolean extended(HeartbeatResponse answer, long sentNanos) {
        boolean moved = answer.leaseExpiresAt().isAfter(expiresAt);
        renew(answer.leaseExpiresAt(), answer.leaseRemainingMs(), sentNanos);
        return moved;
    }

    private void renew(Instant leaderExpiry, Long remainingMs, long fromNanos) {
        expiresAt = leaderExpiry;
        renewedNanos = fromNanos;
        deadlineNanos = fromNanos + TimeUnit.MILLISECONDS.toNanos(remainingMs(leaderExpiry, remainingMs));
        renewals++;
    }

    /**
     * An older coordinator sends only its instant, which this worker can read only against its own wall clock:
     * then the lease is never taken to last longer than asked, but a clock running ahead shortens it.
     */
    private long remainingMs(Instant leaderExpiry, Long remainingMs) {
        if (remainingMs != null) {
            return Math.max(remainingMs, 0);
        }
        return Math.clamp(Duration.between(clock.instant(), leaderExpiry).toMillis(), 0, askedMs);
    }

    /** When the lease ends unless extended, by the leader's clock, as its last grant or heartbeat answer said. */
    synchronized Instant expiresAt() {
        return expiresAt;
    }

    /** Time left until the local deadline; negative once it has passed. */
    synchronized long nanosLeft() {
        return deadlineNanos - clock.nanoTime();
    }

    /** {@link #nanosLeft()} as a duration, zero once the deadline has passed. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(nanosLeft(), 0));
    }

    /** Time until the next heartbeat is due: half of what the lease had left when last renewed. */
    synchronized long nanosUntilHeartbeat() {
        return renewedNanos + (deadlineNanos - renewedNanos) / 2 - clock.nanoTime();
    }

    /** Counts grants and heartbeat answers taken, so a heartbeat timed from one can tell that another came since. */
    synchronized long renewals() {
        return renewals;
    }
}
