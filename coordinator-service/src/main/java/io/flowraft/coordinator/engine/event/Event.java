package io.flowraft.coordinator.engine.event;

import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import java.util.List;

/**
 * What a command changed, in the past tense. Handlers decide and write events; {@link EventApplier} only
 * mutates state from them. Every event that concerns a workflow also becomes a line of its history.
 */
public sealed interface Event {

    /** The workflow the event belongs to, or null for cluster-wide events. */
    String workflowId();

    /** The limits every later command is judged by (see {@code EngineLimits}). */
    record EngineConfigured(EngineLimits limits) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** The retention every later {@code ApplyRetention} is judged by. */
    record RetentionConfigured(Retention retention) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** The cluster got its name (once): its history lives under it. */
    record ClusterNamed(String clusterId) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** History up to {@code throughIndex} is exported: the export position moved there. */
    record ExportAcknowledged(long throughIndex) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /**
     * A finished, exported workflow left the state.
     *
     * @param keepKey whether its idempotency key stays (its retention has not passed) to answer repeats
     */
    record WorkflowEvicted(String workflowId, boolean keepKey) implements Event {
    }

    /** An idempotency key of an evicted workflow expired: a repeat starts a new workflow. */
    record IdempotencyKeyExpired(String idempotencyKey) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** A poll record none of whose leases is held any more was dropped. */
    record PollRecordDropped(String workerId, String poller) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** Where the next sweep of poll records starts: after this poller, or from the first when null. */
    record PollSweepMoved(String workerId, String poller) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /**
     * A task type's settings were set: its rate limit, with the bucket holding {@code tokens} micro-tokens at
     * {@code at}; or removed ({@code rateLimit} null).
     */
    record TaskTypeConfigured(String type, RateLimit rateLimit, long tokens, long at) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** Leases of a rate-limited type took tokens: its bucket holds {@code tokens} micro-tokens at {@code at}. */
    record DispatchTokensTaken(String type, long tokens, long at) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    record DefinitionRegistered(WorkflowDefinition definition, DagPlan plan) implements Event {
        @Override
        public String workflowId() {
            return null;
        }
    }

    /** @param traceParent the W3C trace context of the submit, or null */
    record WorkflowSubmitted(
            String workflowId, String definitionRef, DagPlan plan, String input, String idempotencyKey,
            String fingerprint, String traceParent) implements Event {
    }

    /** PENDING becomes READY, or a retry becomes leasable again at {@code notBefore}. */
    record TaskReadied(String workflowId, String taskId, String input, long notBefore) implements Event {
    }

    record TaskSkipped(String workflowId, String taskId, String reason) implements Event {
    }

    /** @param owner the principal the lease is bound to, or null for none (a poll that named no principal) */
    record TaskLeased(
            String workflowId, String taskId, long fencingToken, String workerId, int attempt, long expiresAt,
            long deadline, long leaseMs, String owner) implements Event {
    }

    record LeaseExtended(String workflowId, String taskId, long fencingToken, long expiresAt) implements Event {
    }

    record TaskCompleted(String workflowId, String taskId, long fencingToken, String output) implements Event {
    }

    /** A failed attempt that will be retried: LEASED goes back to READY, leasable from {@code notBefore}. */
    record TaskRetryScheduled(String workflowId, String taskId, long fencingToken, String error, long notBefore)
            implements Event {
    }

    /** The task failed for good. {@code fencingToken} is 0 when no lease was involved (a bad condition). */
    record TaskFailed(String workflowId, String taskId, long fencingToken, String error) implements Event {
    }

    record LeaseExpired(String workflowId, String taskId, long fencingToken) implements Event {
    }

    record TaskCancelled(String workflowId, String taskId) implements Event {
    }

    record WorkflowCompleted(String workflowId) implements Event {
    }

    record WorkflowFailed(String workflowId, String reason) implements Event {
    }

    record WorkflowCancelled(String workflowId, String reason) implements Event {
    }

    /** Remembers a poller's last poll so that a retry of it returns the same leases. */
    record PollRecorded(String workerId, String poller, String pollId, List<String> leaseIds) implements Event {

        public PollRecorded {
            leaseIds = List.copyOf(leaseIds);
        }

        @Override
        public String workflowId() {
            return null;
        }
    }
}
