package io.flowraft.worker.spi;

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

    /** When the lease ends unless extended, by the coordinator's clock, as of the last grant or heartbeat. */
    Instant leaseExpiresAt();

    /**
     * Extends the lease now. The worker already heartbeats at half the lease on its own; call this only to
     * report progress from a long step sooner. Never extends past the task's {@code timeoutMs}.
     *
     * @return the new expiry
     * @throws LeaseLostException if the lease is no longer held: stop, the result would be rejected
     */
    Instant heartbeat();

    /** Whether the worker learned that the lease is gone (a heartbeat was refused); the result will be dropped. */
    boolean isLeaseLost();
}
