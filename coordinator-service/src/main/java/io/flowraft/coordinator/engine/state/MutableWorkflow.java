package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.model.DagPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The mutable workflow: changed only by the event applier and by snapshot loading. */
public final class MutableWorkflow implements WorkflowState {

    private final String id;
    private final String definitionRef;
    private final DagPlan plan;
    private final String input;
    private final long createdAt;
    private final String idempotencyKey;
    private final String fingerprint;
    private final String traceParent;
    private final MutableTask[] tasks;
    private final List<HistoryEntry> history = new ArrayList<>();
    WorkflowStatus status = WorkflowStatus.RUNNING;
    long finishedAt;
    /** Tasks not yet terminal; the workflow ends when it reaches 0. */
    int unfinished;
    /** What this workflow holds in the state, in {@link StateSizes} bytes. */
    long heldBytes;
    /** The share of the state digest of this workflow's own fields (see {@link StateDigest}); 0 until hashed. */
    long headerHash0;
    long headerHash1;
    /** The command whose journal saved this workflow last (see {@link StateJournal}). */
    long journalMark;

    MutableWorkflow(String id, String definitionRef, DagPlan plan, String input, long createdAt,
            String idempotencyKey, String fingerprint, String traceParent) {
        this.id = id;
        this.definitionRef = definitionRef;
        this.plan = plan;
        this.input = input;
        this.createdAt = createdAt;
        this.idempotencyKey = idempotencyKey;
        this.fingerprint = fingerprint;
        this.traceParent = traceParent;
        this.tasks = new MutableTask[plan.size()];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new MutableTask(this, i);
        }
        this.unfinished = tasks.length;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String definitionRef() {
        return definitionRef;
    }

    @Override
    public DagPlan plan() {
        return plan;
    }

    @Override
    public String input() {
        return input;
    }

    @Override
    public WorkflowStatus status() {
        return status;
    }

    @Override
    public long createdAt() {
        return createdAt;
    }

    @Override
    public long finishedAt() {
        return finishedAt;
    }

    @Override
    public String idempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String traceParent() {
        return traceParent;
    }

    @Override
    public List<MutableTask> tasks() {
        return Arrays.asList(tasks);
    }

    public MutableTask task(int position) {
        return tasks[position];
    }

    @Override
    public MutableTask task(String taskId) {
        int position = plan.position(taskId);
        return position < 0 ? null : tasks[position];
    }

    @Override
    public int unfinishedTasks() {
        return unfinished;
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public List<HistoryEntry> history() {
        return Collections.unmodifiableList(history);
    }

    void record(HistoryEntry entry) {
        history.add(entry);
    }

    /** Drops the history lines after the first {@code size}: undoes the lines of a command rolled back. */
    void truncateHistory(int size) {
        history.subList(size, history.size()).clear();
    }
}
