package io.flowraft.worker.spi;

import java.time.Duration;
import java.time.Instant;

/** What a handler knows about the attempt it runs, and how it keeps its lease. */
public interface TaskContext {

    String workflowId();

    String taskId();

    String type();

    /** The attempt number, 1 for the first run; a retry or a re-run after an expired lease adds one. */
    int attempt();

    /** {@code workflowId/taskId}: the same for every attempt of the task. Deduplicate side effects with it. */
    String idempotencyKey();

    /** The lease this attempt runs under; reports and heartbeats name it. */
    String leaseId();

    /**
     * When the lease ends unless extended, as of the last grant or heartbeat, on the <em>leader coordinator's</em>
     * wall clock: this worker's clock may disagree with it by any amount, so do not time anything by comparing
     * it with {@link Instant#now()}; use {@link #leaseRemaining()}.
     */
    Instant leaseExpiresAt();

    /**
     * How long the lease has left, measured on this worker's monotonic clock from when the last grant or
     * heartbeat answer came with the leader's count of the time left; zero once it has run out. Independent of
     * the wall clocks. The worker's own heartbeats renew it at about half of it.
     *
     * <p>The worker's contexts implement it so. The default, there for contexts written elsewhere (test stubs),
     * reads {@link #leaseExpiresAt()} against this machine's wall clock.
     */
    default Duration leaseRemaining() {
        Duration left = Duration.between(Instant.now(), leaseExpiresAt());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Extends the lease now. The worker already heartbeats at half the lease on its own; call this only to
     * report progress from a long step sooner. Never extends past the task's {@code timeoutMs}.
     *
     * @return the new expiry
     * @throws LeaseLostException if the lease is no longer held: stop, the result would be rejected
     */
    Instant heartbeat();

    /**
     * Whether the lease is gone: a heartbeat was refused, or the lease ran out on this worker's clock (it reached
     * the task's {@code timeoutMs}, or no coordinator answered a heartbeat in time). The handler's thread is then
     * interrupted and its result dropped.
     */
    boolean isLeaseLost();

    /**
     * {@code text} with the secret values this attempt resolved from its input ({@code ${secrets.NAME}}) replaced
     * by {@code ***}. The worker redacts the output and the error it reports anyway; call this before quoting
     * remote text that might echo a secret and that you shorten, so that no piece of a secret survives the cut.
     * The default, for contexts written elsewhere (test stubs), returns {@code text} unchanged.
     */
    default String redact(String text) {
        return text;
    }
}
