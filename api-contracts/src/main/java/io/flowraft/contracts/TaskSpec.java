package io.flowraft.contracts;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One task of a workflow DAG, as registered in a definition or submitted inline. The server validates the
 * whole DAG (unique ids, known dependencies, no cycle, CEL that compiles) and rejects it as
 * {@link ProblemType#INVALID_DAG} or {@link ProblemType#INVALID_CONDITION}, naming the failing field.
 *
 * @param id unique within the DAG, matching {@value #ID_PATTERN}; required
 * @param type routes the task to workers that poll for this type; required, non-blank
 * @param dependsOn ids of tasks that must be terminal before this one is considered; absent or {@code null}
 *     means none (never {@code null} after construction)
 * @param input the task's input as JSON; may reference the workflow input and upstream outputs. Absent or
 *     JSON {@code null} means no input
 * @param when a CEL expression over {@code input} and {@code tasks.<id>.output}; when it yields false the task
 *     is SKIPPED. {@code null} means always
 * @param trigger which dependency outcomes let the task run; {@code null} means {@link TriggerRule#ALL_SUCCESS}
 * @param retry retry policy; {@code null} means {@link RetryPolicy#DEFAULTS}
 * @param timeoutMs how long one attempt may hold its lease (start-to-close) unless heartbeats extend it, in
 *     milliseconds, at least 1; {@code null} means the server's default lease length
 * @param concurrency an optional cap shared with other tasks; {@code null} means uncapped
 */
public record TaskSpec(
        String id,
        String type,
        List<String> dependsOn,
        JsonNode input,
        String when,
        TriggerRule trigger,
        RetryPolicy retry,
        Long timeoutMs,
        ConcurrencyLimit concurrency) {

    /** What a task id must match: short, URL- and CEL-safe. */
    public static final String ID_PATTERN = "[a-zA-Z0-9_-]{1,64}";

    public TaskSpec {
        dependsOn = Copies.orEmpty(dependsOn);
        input = Copies.absentIfNull(input);
    }

    /** The trigger rule in effect: the stated one or {@link TriggerRule#ALL_SUCCESS}. */
    public TriggerRule effectiveTrigger() {
        return trigger != null ? trigger : TriggerRule.ALL_SUCCESS;
    }

    /** The retry policy in effect, every field resolved. */
    public RetryPolicy effectiveRetry() {
        return retry != null ? retry.withDefaults() : RetryPolicy.DEFAULTS;
    }
}
