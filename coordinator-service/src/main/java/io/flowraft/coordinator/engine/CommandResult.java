package io.flowraft.coordinator.engine;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;

import java.util.List;

/**
 * What applying one command answered: a reply of the command's kind, or a rejection. A rejected command
 * changed nothing. Results are deterministic: every replica computes the same one for the same log entry.
 */
public sealed interface CommandResult {

    /** The command changed nothing because it was invalid or does not fit the current state. */
    record Rejection(ProblemType type, String field, String message) implements CommandResult {

        public static Rejection of(ProblemType type, String message) {
            return new Rejection(type, null, message);
        }

        public static Rejection onField(ProblemType type, String field, String message) {
            return new Rejection(type, field, message);
        }
    }

    /**
     * The limits in force after a {@code ConfigureEngine}.
     *
     * @param changed false when a bootstrap proposal found limits already set, or the same limits were set again
     */
    record LimitsSet(EngineLimits limits, boolean changed) implements CommandResult {
    }

    /** @param exportedThrough the export position after the command */
    record ExportPosition(long exportedThrough) implements CommandResult {
    }

    /** What one {@code ApplyRetention} removed. */
    record RetentionApplied(int workflowsEvicted, int keysExpired, int pollRecordsDropped) implements CommandResult {
    }

    /** @param created false when the same content was already registered under that version */
    record DefinitionRegistered(String name, int version, boolean created) implements CommandResult {
    }

    /** @param created false when an idempotent retry found the workflow it started before */
    record WorkflowSubmitted(String workflowId, boolean created) implements CommandResult {
    }

    /** @param replayed true when a retried poll id returned the leases of its first try */
    record LeasesGranted(List<GrantedLease> leases, boolean replayed) implements CommandResult {

        public LeasesGranted {
            leases = List.copyOf(leases);
        }
    }

    /**
     * One lease handed to a worker.
     *
     * @param idempotencyKey {@code workflowId/taskId}: stable across attempts, for handlers to deduplicate effects
     * @param expiresAt      when the lease ends, by the leader's clock
     * @param remainingMs    how long the lease had left when the command was applied: what a worker times on its
     *                       own clock, which need not agree with the leader's
     * @param traceParent    the workflow's trace context (its submit's {@code traceparent}), or null
     */
    record GrantedLease(
            String leaseId,
            String workflowId,
            String taskId,
            String type,
            int attempt,
            String input,
            String idempotencyKey,
            long expiresAt,
            long remainingMs,
            String traceParent) {

        /** A lease of a workflow without a trace context. */
        public GrantedLease(String leaseId, String workflowId, String taskId, String type, int attempt, String input,
                String idempotencyKey, long expiresAt, long remainingMs) {
            this(leaseId, workflowId, taskId, type, attempt, input, idempotencyKey, expiresAt, remainingMs, null);
        }
    }

    /**
     * A completion or failure report was committed, or recognised as the repeat of one that was.
     *
     * @param taskStatus the task's status right after the report (READY when a retry was scheduled)
     */
    record TaskReported(String leaseId, String workflowId, String taskId, TaskStatus taskStatus, boolean duplicate)
            implements CommandResult {
    }

    /** @param remainingMs how long the lease has left from the command's stamp (see {@link GrantedLease}) */
    record LeaseExtended(String leaseId, long expiresAt, long remainingMs) implements CommandResult {
    }

    /**
     * The settings of a task type after a {@code ConfigureTaskType}.
     *
     * @param rateLimit the dispatch rate limit in force, or null for none
     * @param changed   false when the type already had these settings
     */
    record TaskTypeConfigured(String type, io.flowraft.coordinator.engine.model.RateLimit rateLimit, boolean changed)
            implements CommandResult {
    }

    /** @param expired how many leases ended */
    record LeasesExpired(int expired) implements CommandResult {
    }

    /** @param alreadyCancelled true when the workflow was cancelled before: the request changed nothing */
    record WorkflowCancelled(String workflowId, boolean alreadyCancelled) implements CommandResult {
    }
}
