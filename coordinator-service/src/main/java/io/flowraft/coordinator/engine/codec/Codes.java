package io.flowraft.coordinator.engine.codec;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.state.HistoryKind;

/**
 * The frozen byte code of every enum the log, snapshots and forwarded results carry. An enum's
 * {@code ordinal()} changes when a constant is inserted or reordered, which would silently change what old
 * logs replay to; these codes never change. The switches are exhaustive, so a new constant does not compile
 * until it is given a code here (a new one: never reuse a code). Decoding an unknown code is a
 * {@link CodecException}.
 */
public final class Codes {

    private Codes() {
    }

    public static int of(TaskStatus status) {
        return switch (status) {
            case PENDING -> 0;
            case READY -> 1;
            case LEASED -> 2;
            case COMPLETED -> 3;
            case FAILED -> 4;
            case SKIPPED -> 5;
            case CANCELLED -> 6;
        };
    }

    public static TaskStatus taskStatus(int code) {
        return switch (code) {
            case 0 -> TaskStatus.PENDING;
            case 1 -> TaskStatus.READY;
            case 2 -> TaskStatus.LEASED;
            case 3 -> TaskStatus.COMPLETED;
            case 4 -> TaskStatus.FAILED;
            case 5 -> TaskStatus.SKIPPED;
            case 6 -> TaskStatus.CANCELLED;
            default -> throw unknown("task status", code);
        };
    }

    public static int of(WorkflowStatus status) {
        return switch (status) {
            case RUNNING -> 0;
            case COMPLETED -> 1;
            case FAILED -> 2;
            case CANCELLED -> 3;
        };
    }

    public static WorkflowStatus workflowStatus(int code) {
        return switch (code) {
            case 0 -> WorkflowStatus.RUNNING;
            case 1 -> WorkflowStatus.COMPLETED;
            case 2 -> WorkflowStatus.FAILED;
            case 3 -> WorkflowStatus.CANCELLED;
            default -> throw unknown("workflow status", code);
        };
    }

    public static int of(TriggerRule rule) {
        return switch (rule) {
            case ALL_SUCCESS -> 0;
            case ALL_DONE -> 1;
            case ONE_SUCCESS -> 2;
            case NONE_FAILED -> 3;
        };
    }

    public static TriggerRule triggerRule(int code) {
        return switch (code) {
            case 0 -> TriggerRule.ALL_SUCCESS;
            case 1 -> TriggerRule.ALL_DONE;
            case 2 -> TriggerRule.ONE_SUCCESS;
            case 3 -> TriggerRule.NONE_FAILED;
            default -> throw unknown("trigger rule", code);
        };
    }

    public static int of(HistoryKind kind) {
        return switch (kind) {
            case WORKFLOW_SUBMITTED -> 0;
            case TASK_READY -> 1;
            case TASK_SKIPPED -> 2;
            case TASK_LEASED -> 3;
            case TASK_COMPLETED -> 4;
            case TASK_RETRY_SCHEDULED -> 5;
            case TASK_FAILED -> 6;
            case LEASE_EXPIRED -> 7;
            case TASK_CANCELLED -> 8;
            case WORKFLOW_COMPLETED -> 9;
            case WORKFLOW_FAILED -> 10;
            case WORKFLOW_CANCELLED -> 11;
        };
    }

    public static HistoryKind historyKind(int code) {
        return switch (code) {
            case 0 -> HistoryKind.WORKFLOW_SUBMITTED;
            case 1 -> HistoryKind.TASK_READY;
            case 2 -> HistoryKind.TASK_SKIPPED;
            case 3 -> HistoryKind.TASK_LEASED;
            case 4 -> HistoryKind.TASK_COMPLETED;
            case 5 -> HistoryKind.TASK_RETRY_SCHEDULED;
            case 6 -> HistoryKind.TASK_FAILED;
            case 7 -> HistoryKind.LEASE_EXPIRED;
            case 8 -> HistoryKind.TASK_CANCELLED;
            case 9 -> HistoryKind.WORKFLOW_COMPLETED;
            case 10 -> HistoryKind.WORKFLOW_FAILED;
            case 11 -> HistoryKind.WORKFLOW_CANCELLED;
            default -> throw unknown("history kind", code);
        };
    }

    /**
     * Problem types cross between coordinators in forwarded results. A code this node does not know (a newer
     * node's) reads as {@link ProblemType#INTERNAL}, so a mixed-version cluster still answers.
     */
    public static int of(ProblemType type) {
        return switch (type) {
            case INVALID_REQUEST -> 0;
            case MALFORMED_JSON -> 1;
            case UNSUPPORTED_MEDIA_TYPE -> 2;
            case PAYLOAD_TOO_LARGE -> 3;
            case INVALID_DAG -> 4;
            case INVALID_CONDITION -> 5;
            case INVALID_INPUT_TEMPLATE -> 6;
            case LIMIT_EXCEEDED -> 7;
            case DEFINITION_NOT_FOUND -> 8;
            case DEFINITION_CONFLICT -> 9;
            case WORKFLOW_NOT_FOUND -> 10;
            case WORKFLOW_ALREADY_EXISTS -> 11;
            case WORKFLOW_FINISHED -> 12;
            case IDEMPOTENCY_CONFLICT -> 13;
            case LEASE_NOT_FOUND -> 14;
            case STALE_LEASE -> 15;
            case LEASE_EXPIRED -> 16;
            case REPORT_CONFLICT -> 17;
            case NOT_LEADER -> 18;
            case OUTCOME_UNKNOWN -> 19;
            case OVERLOADED -> 20;
            case SNAPSHOT_FAILED -> 21;
            case INTERNAL -> 22;
            case STATE_BUDGET -> 23;
            case MEMBERSHIP_CHANGE_FAILED -> 24;
            case MEMBERSHIP_CONFLICT -> 25;
            case HISTORY_BACKLOG -> 26;
            case HISTORY_UNAVAILABLE -> 27;
            case UNAUTHORIZED -> 28;
            case FORBIDDEN -> 29;
            case RATE_LIMITED -> 30;
            case LEASE_NOT_OWNED -> 31;
        };
    }

    public static ProblemType problemType(int code) {
        for (ProblemType type : ProblemType.values()) {
            if (of(type) == code) {
                return type;
            }
        }
        return ProblemType.INTERNAL;
    }

    private static CodecException unknown(String what, int code) {
        return new CodecException("Unknown " + what + " code " + code);
    }
}
