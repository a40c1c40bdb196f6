package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;

/**
 * Resolves the lease a report or heartbeat names. This is where fencing happens: only the current lease of
 * a LEASED task, before its expiry, is {@link Current}; every other lease that was ever granted for the task
 * is {@link NotCurrent}, which the caller answers as a repeat of an earlier report or as stale.
 *
 * <p>And where ownership is checked: a lease is bound to the principal that polled it, so a report or heartbeat
 * that names the task's current or last lease from any other principal is refused ({@code lease-not-owned}),
 * whatever the lease's state, before anything else is decided: it changes nothing and learns nothing of the
 * lease's outcome. A lease with no owner (granted by a command written before leases had owners) accepts any
 * principal. Only the task's latest lease has a known owner; a report under an older one is stale to everyone.
 */
sealed interface LeaseLookup {

    record Current(TaskState task, LeaseId lease) implements LeaseLookup {
    }

    record NotCurrent(TaskState task, LeaseId lease) implements LeaseLookup {
    }

    record Rejected(Rejection rejection) implements LeaseLookup {
    }

    static LeaseLookup find(String leaseIdText, String principal, EngineReadState state, long now) {
        LeaseId lease = LeaseId.parse(leaseIdText).orElse(null);
        if (lease == null) {
            return new Rejected(Rejection.onField(ProblemType.INVALID_REQUEST, "leaseId",
                    "A lease id looks like <workflowId>.<taskId>.<fencingToken>, was '" + leaseIdText + "'"));
        }
        WorkflowState workflow = state.workflow(lease.workflowId());
        TaskState task = workflow == null ? null : workflow.task(lease.taskId());
        if (task == null || lease.fencingToken() > state.lastFencingToken()) {
            return new Rejected(Rejection.onField(ProblemType.LEASE_NOT_FOUND, "leaseId",
                    "No lease " + lease + " is known: it was never granted, or its workflow finished and has left "
                            + "the live state"));
        }
        if (task.fencingToken() == lease.fencingToken() && task.leaseOwner() != null
                && !task.leaseOwner().equals(principal)) {
            return new Rejected(Rejection.onField(ProblemType.LEASE_NOT_OWNED, "leaseId",
                    "Lease " + lease + " of task '" + task.taskId() + "' was granted to another principal"
                            + (principal == null ? "" : " than '" + principal + "'")
                            + ": only the principal that polled a lease may report or heartbeat under it"));
        }
        if (task.status() == TaskStatus.LEASED && task.fencingToken() == lease.fencingToken()) {
            if (now >= task.leaseExpiresAt()) {
                return new Rejected(Rejection.onField(ProblemType.LEASE_EXPIRED, "leaseId",
                        "Lease " + lease + " expired at " + task.leaseExpiresAt() + " (epoch ms); task '"
                                + task.taskId() + "' will be retried or failed"));
            }
            return new Current(task, lease);
        }
        return new NotCurrent(task, lease);
    }

    /** The 409 for a lease that is no longer the one the task is held under. */
    static Rejection stale(String verb, TaskState task, LeaseId lease) {
        String found = switch (task.status()) {
            case LEASED -> "it is held by lease " + task.leaseId();
            case READY -> "that lease ended and the task is READY for attempt " + (task.attempt() + 1);
            case COMPLETED -> "the task was completed under lease " + task.leaseId();
            case FAILED -> "the task has FAILED: " + task.error();
            case CANCELLED -> "the workflow was cancelled";
            case PENDING, SKIPPED -> "the task is " + task.status();
        };
        return Rejection.onField(ProblemType.STALE_LEASE, "leaseId",
                "Expected to " + verb + " task '" + task.taskId() + "' of workflow '" + task.workflow().id()
                        + "' under lease " + lease + ", but " + found);
    }
}
