package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.model.DagPlan;
import java.util.List;

/** Read-only view of one workflow. */
public interface WorkflowState {

    String id();

    /** {@code name@version} of the definition it was started from, or null for an inline DAG. */
    String definitionRef();

    DagPlan plan();

    String input();

    WorkflowStatus status();

    long createdAt();

    long finishedAt();

    String idempotencyKey();

    /** SHA-256 of the submit request, to tell an idempotent retry from a reuse of its key. */
    String fingerprint();

    /** The W3C trace context of the submit ({@code traceparent}), or null for a workflow submitted without one. */
    String traceParent();

    /** Tasks in the order of the DAG's spec. */
    List<? extends TaskState> tasks();

    /** The task with this id, or null. */
    TaskState task(String taskId);

    /** How many tasks are not terminal yet; the workflow ends when this reaches 0. */
    int unfinishedTasks();

    /**
     * What this workflow holds in the replicated state, in bytes (see {@code StateSizes}): judged against
     * {@code maxWorkflowBytes}.
     */
    long heldBytes();

    /** Committed transitions in log order. */
    List<HistoryEntry> history();
}
