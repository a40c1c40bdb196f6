package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.model.TaskSpec;

/** The mutable task: changed only by the event applier and by snapshot loading. */
public final class MutableTask implements TaskState {

    private final MutableWorkflow workflow;
    private final int position;
    TaskStatus status = TaskStatus.PENDING;
    int attempt;
    String input;
    String output;
    String error;
    long fencingToken;
    String leaseWorker;
    String leaseOwner;
    long leaseExpiresAt;
    long leaseDeadline;
    long leaseMs;
    long notBefore;
    long readySeq;
    long readyAt;
    long finishedAt;
    /** This task's share of the state digest (see {@link StateDigest}); 0 until first hashed. */
    long hash0;
    long hash1;
    /** The command whose journal saved this task last (see {@link StateJournal}). */
    long journalMark;

    MutableTask(MutableWorkflow workflow, int position) {
        this.workflow = workflow;
        this.position = position;
    }

    @Override
    public MutableWorkflow workflow() {
        return workflow;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public TaskSpec spec() {
        return workflow.plan().task(position);
    }

    @Override
    public TaskStatus status() {
        return status;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public String input() {
        return input;
    }

    @Override
    public String output() {
        return output;
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    @Override
    public String leaseWorker() {
        return leaseWorker;
    }

    @Override
    public String leaseOwner() {
        return leaseOwner;
    }

    @Override
    public long leaseExpiresAt() {
        return leaseExpiresAt;
    }

    @Override
    public long leaseDeadline() {
        return leaseDeadline;
    }

    @Override
    public long leaseMs() {
        return leaseMs;
    }

    @Override
    public long notBefore() {
        return notBefore;
    }

    @Override
    public long readySeq() {
        return readySeq;
    }

    @Override
    public long readyAt() {
        return readyAt;
    }

    @Override
    public long finishedAt() {
        return finishedAt;
    }

    @Override
    public String toString() {
        return workflow.id() + "/" + taskId() + "[" + status + ", attempt " + attempt + "]";
    }
}
