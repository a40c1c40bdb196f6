package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.model.TaskSpec;

/**
 * Read-only view of one task of one workflow; handlers see only this. Legal transitions are those of
 * {@link TaskStatus}. Times are epoch milliseconds from the leader's stamp; 0 means "not set".
 */
public interface TaskState {

    WorkflowState workflow();

    int position();

    TaskSpec spec();

    default String taskId() {
        return spec().id();
    }

    TaskStatus status();

    /** The number of the current or last attempt; 0 before the first lease. */
    int attempt();

    /** The rendered input, set when the task became READY. */
    String input();

    String output();

    String error();

    /** The fencing token of the current lease, or of the last one once the task left LEASED. */
    long fencingToken();

    String leaseWorker();

    /**
     * The principal the current (or last) lease was granted to: only it may report or heartbeat under that lease.
     * Null for a lease granted by a command that named no principal (logs written before leases had owners):
     * such a lease is owned by nobody in particular and accepts reports from any caller.
     */
    String leaseOwner();

    long leaseExpiresAt();

    /** The latest moment heartbeats may extend the current lease to: lease start + the task's timeout. */
    long leaseDeadline();

    long leaseMs();

    /** A READY task may not be leased before this time (retry backoff). */
    long notBefore();

    /** Order in which tasks became READY: leases go oldest first. */
    long readySeq();

    long readyAt();

    long finishedAt();

    /** The lease id of the current lease; meaningful while LEASED. */
    default String leaseId() {
        return workflow().id() + "." + taskId() + "." + fencingToken();
    }
}
