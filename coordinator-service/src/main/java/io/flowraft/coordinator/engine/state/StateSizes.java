package io.flowraft.coordinator.engine.state;

import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.validation.Payloads;
import java.util.List;

/**
 * What the replicated state holds, in bytes: the UTF-8 size of every string it keeps plus a fixed allowance
 * per object for the heap around it. An estimate of heap use, but an exact and deterministic function of the
 * state's content, so every replica counts the same and a snapshot load recounts the same total that was
 * kept incrementally. Budgets ({@code maxWorkflowBytes}, {@code maxStateBytes}) are judged on it.
 */
public final class StateSizes {

    /** A workflow object, its maps' entries and its task array. */
    public static final int WORKFLOW = 256;
    /** A task object and its fields. */
    public static final int TASK = 128;
    /** One history line. */
    public static final int HISTORY_ENTRY = 64;
    /** A definition version and its plan. */
    public static final int DEFINITION = 256;
    /** A task spec inside a definition or an inline DAG. */
    public static final int SPEC = 128;
    /** A worker's poll record. */
    public static final int POLL = 128;
    /** An evicted workflow's idempotency key, kept until it expires. */
    public static final int EVICTED_KEY = 128;
    /** A task type's settings and dispatch bucket. */
    public static final int TASK_TYPE = 96;
    /** One line's place in the outbox of unexported history. */
    public static final int OUTBOX_ENTRY = 48;

    private StateSizes() {
    }

    public static long of(String s) {
        return s == null ? 0 : Payloads.utf8Length(s);
    }

    /** How much a field's size changes when {@code before} is replaced by {@code after}. */
    static long change(String before, String after) {
        return before == after ? 0 : of(after) - of(before);
    }

    public static long specs(List<TaskSpec> specs) {
        long size = 0;
        for (TaskSpec spec : specs) {
            size += SPEC + of(spec.id()) + of(spec.type()) + of(spec.input()) + of(spec.when());
            for (String dependency : spec.dependsOn()) {
                size += 16 + of(dependency);
            }
            if (spec.concurrency() != null) {
                size += of(spec.concurrency().key());
            }
        }
        return size;
    }

    /** A new workflow before any of its tasks or history: its fixed fields, and its DAG when inline. */
    static long workflowBase(MutableWorkflow workflow) {
        long size = WORKFLOW + of(workflow.id()) + of(workflow.definitionRef()) + of(workflow.input())
                + of(workflow.idempotencyKey()) + of(workflow.fingerprint()) + of(workflow.traceParent())
                + (long) TASK * workflow.plan().size();
        return workflow.definitionRef() == null ? size + specs(workflow.plan().tasks()) : size;
    }

    /** The strings a task holds beyond its spec. */
    static long taskContent(MutableTask task) {
        return of(task.input) + of(task.output) + of(task.error) + of(task.leaseWorker) + of(task.leaseOwner);
    }

    static long entry(HistoryEntry entry) {
        return HISTORY_ENTRY + of(entry.detail());
    }

    /** Everything a workflow holds, counted from scratch (after a snapshot load). */
    static long workflow(MutableWorkflow workflow) {
        long size = workflowBase(workflow);
        for (MutableTask task : workflow.tasks()) {
            size += taskContent(task);
        }
        for (HistoryEntry entry : workflow.history()) {
            size += entry(entry);
        }
        return size;
    }

    static long definition(List<TaskSpec> specs, String name) {
        return DEFINITION + of(name) + specs(specs);
    }

    static long evictedKey(EvictedKey key) {
        return EVICTED_KEY + of(key.idempotencyKey()) + of(key.workflowId()) + of(key.fingerprint());
    }

    static long taskType(TaskTypeSettings settings) {
        return TASK_TYPE + of(settings.type());
    }

    static long poll(PollerKey key, EngineReadState.PollRecord record) {
        long size = POLL + of(key.workerId()) + of(key.poller()) + of(record.pollId());
        for (String leaseId : record.leaseIds()) {
            size += 16 + of(leaseId);
        }
        return size;
    }
}
