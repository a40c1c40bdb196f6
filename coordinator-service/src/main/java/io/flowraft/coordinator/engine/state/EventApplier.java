package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.event.Event.ClusterNamed;
import io.flowraft.coordinator.engine.event.Event.DefinitionRegistered;
import io.flowraft.coordinator.engine.event.Event.DispatchTokensTaken;
import io.flowraft.coordinator.engine.event.Event.TaskTypeConfigured;
import io.flowraft.coordinator.engine.event.Event.EngineConfigured;
import io.flowraft.coordinator.engine.event.Event.ExportAcknowledged;
import io.flowraft.coordinator.engine.event.Event.IdempotencyKeyExpired;
import io.flowraft.coordinator.engine.event.Event.LeaseExpired;
import io.flowraft.coordinator.engine.event.Event.LeaseExtended;
import io.flowraft.coordinator.engine.event.Event.PollRecordDropped;
import io.flowraft.coordinator.engine.event.Event.PollRecorded;
import io.flowraft.coordinator.engine.event.Event.PollSweepMoved;
import io.flowraft.coordinator.engine.event.Event.RetentionConfigured;
import io.flowraft.coordinator.engine.event.Event.TaskCancelled;
import io.flowraft.coordinator.engine.event.Event.TaskCompleted;
import io.flowraft.coordinator.engine.event.Event.TaskFailed;
import io.flowraft.coordinator.engine.event.Event.TaskLeased;
import io.flowraft.coordinator.engine.event.Event.TaskReadied;
import io.flowraft.coordinator.engine.event.Event.TaskRetryScheduled;
import io.flowraft.coordinator.engine.event.Event.TaskSkipped;
import io.flowraft.coordinator.engine.event.Event.WorkflowCancelled;
import io.flowraft.coordinator.engine.event.Event.WorkflowCompleted;
import io.flowraft.coordinator.engine.event.Event.WorkflowEvicted;
import io.flowraft.coordinator.engine.event.Event.WorkflowFailed;
import io.flowraft.coordinator.engine.event.Event.WorkflowSubmitted;

/**
 * Applies events to the state. It only mutates: every decision was taken by the handler that wrote the
 * event, so applying never fails on a valid event and never reads anything but the event and the stamp.
 * Before it changes a task or a workflow it shows it to the state's journal (so the command can be undone),
 * and it keeps the state's byte count in step with every string it stores.
 */
public final class EventApplier {

    private final EngineState state;

    public EventApplier(EngineState state) {
        this.state = state;
    }

    /**
     * @param index the log index of the command that produced the event
     * @param now   the leader's stamp on that command
     */
    public void apply(Event event, long index, long now) {
        switch (event) {
            case EngineConfigured e -> state.configure(e.limits());
            case RetentionConfigured e -> state.configure(e.retention());
            case ClusterNamed e -> state.nameCluster(e.clusterId());
            case ExportAcknowledged e -> state.acknowledgeExport(e.throughIndex());
            case WorkflowEvicted e -> {
                MutableWorkflow workflow = state.workflow(e.workflowId());
                state.evict(workflow, e.keepKey() ? new EvictedKey(workflow.idempotencyKey(), workflow.id(),
                        workflow.fingerprint(), workflow.createdAt()) : null);
            }
            case IdempotencyKeyExpired e -> state.expireKey(e.idempotencyKey());
            case PollRecordDropped e -> state.dropPoll(new PollerKey(e.workerId(), e.poller()));
            case PollSweepMoved e -> state.movePollSweep(e.workerId() == null ? null : new PollerKey(e.workerId(),
                    e.poller()));
            case DefinitionRegistered e -> state.addDefinition(e.definition(), e.plan());
            case TaskTypeConfigured e -> state.configureTaskType(e.type(), e.rateLimit() == null ? null
                    : new TaskTypeSettings(e.type(), e.rateLimit(), e.tokens(), e.at()));
            case DispatchTokensTaken e -> {
                TaskTypeSettings before = state.taskType(e.type());
                state.configureTaskType(e.type(), new TaskTypeSettings(e.type(), before.rateLimit(), e.tokens(), e.at()));
            }
            case WorkflowSubmitted e -> {
                MutableWorkflow workflow = new MutableWorkflow(e.workflowId(), e.definitionRef(), e.plan(), e.input(),
                        now, e.idempotencyKey(), e.fingerprint(), e.traceParent());
                state.addWorkflow(workflow);
                record(workflow, new HistoryEntry(index, now, HistoryKind.WORKFLOW_SUBMITTED, null, 0, 0, null));
            }
            case TaskReadied e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                task.status = TaskStatus.READY;
                replace(task, task.input, e.input());
                task.input = e.input();
                task.notBefore = e.notBefore();
                task.readySeq = ++state.lastReadySeq;
                task.readyAt = now;
                state.indexReady(task, now);
                record(task, index, now, HistoryKind.TASK_READY, 0, null);
            }
            case TaskSkipped e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                finish(task, TaskStatus.SKIPPED, now);
                replace(task, task.error, e.reason());
                task.error = e.reason();
                record(task, index, now, HistoryKind.TASK_SKIPPED, 0, e.reason());
            }
            case TaskLeased e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                state.unindexReady(task);
                task.status = TaskStatus.LEASED;
                task.attempt = e.attempt();
                task.fencingToken = e.fencingToken();
                replace(task, task.leaseWorker, e.workerId());
                task.leaseWorker = e.workerId();
                replace(task, task.leaseOwner, e.owner());
                task.leaseOwner = e.owner();
                task.leaseExpiresAt = e.expiresAt();
                task.leaseDeadline = e.deadline();
                task.leaseMs = e.leaseMs();
                state.lastFencingToken = Math.max(state.lastFencingToken, e.fencingToken());
                state.indexLease(task);
                record(task, index, now, HistoryKind.TASK_LEASED, e.fencingToken(), e.workerId());
            }
            case LeaseExtended e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                state.unindexLease(task);
                task.leaseExpiresAt = e.expiresAt();
                state.indexLease(task);
            }
            case TaskCompleted e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                state.unindexLease(task);
                finish(task, TaskStatus.COMPLETED, now);
                replace(task, task.output, e.output());
                task.output = e.output();
                replace(task, task.error, null);
                task.error = null;
                record(task, index, now, HistoryKind.TASK_COMPLETED, e.fencingToken(), null);
            }
            case TaskRetryScheduled e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                state.unindexLease(task);
                task.status = TaskStatus.READY;
                replace(task, task.error, e.error());
                task.error = e.error();
                task.notBefore = e.notBefore();
                task.readySeq = ++state.lastReadySeq;
                task.readyAt = now;
                state.indexReady(task, now);
                record(task, index, now, HistoryKind.TASK_RETRY_SCHEDULED, e.fencingToken(), e.error());
            }
            case TaskFailed e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                if (task.status == TaskStatus.LEASED) {
                    state.unindexLease(task);
                }
                finish(task, TaskStatus.FAILED, now);
                replace(task, task.error, e.error());
                task.error = e.error();
                record(task, index, now, HistoryKind.TASK_FAILED, e.fencingToken(), e.error());
            }
            case LeaseExpired e -> record(task(e.workflowId(), e.taskId()), index, now, HistoryKind.LEASE_EXPIRED,
                    e.fencingToken(), null);
            case TaskCancelled e -> {
                MutableTask task = task(e.workflowId(), e.taskId());
                if (task.status == TaskStatus.LEASED) {
                    state.unindexLease(task);
                } else if (task.status == TaskStatus.READY) {
                    state.unindexReady(task);
                }
                finish(task, TaskStatus.CANCELLED, now);
                record(task, index, now, HistoryKind.TASK_CANCELLED, 0, null);
            }
            case WorkflowCompleted e -> endWorkflow(e.workflowId(), WorkflowStatus.COMPLETED, index, now,
                    HistoryKind.WORKFLOW_COMPLETED, null);
            case WorkflowFailed e -> endWorkflow(e.workflowId(), WorkflowStatus.FAILED, index, now,
                    HistoryKind.WORKFLOW_FAILED, e.reason());
            case WorkflowCancelled e -> endWorkflow(e.workflowId(), WorkflowStatus.CANCELLED, index, now,
                    HistoryKind.WORKFLOW_CANCELLED, e.reason());
            case PollRecorded e -> state.recordPoll(new PollerKey(e.workerId(), e.poller()),
                    new EngineReadState.PollRecord(e.pollId(), e.leaseIds()));
        }
    }

    /** The task, shown to the journal before it changes. */
    private MutableTask task(String workflowId, String taskId) {
        MutableTask task = state.workflow(workflowId).task(taskId);
        state.touch(task);
        state.touch(task.workflow());
        return task;
    }

    /** Keeps the byte count in step with a string field of the task about to change from {@code before}. */
    private void replace(MutableTask task, String before, String after) {
        state.grow(task.workflow(), StateSizes.change(before, after));
    }

    private static void finish(MutableTask task, TaskStatus status, long now) {
        task.status = status;
        task.finishedAt = now;
        task.workflow().unfinished--;
    }

    private void record(MutableTask task, long index, long now, HistoryKind kind, long token, String detail) {
        record(task.workflow(), new HistoryEntry(index, now, kind, task.taskId(), task.attempt, token, detail));
    }

    private void record(MutableWorkflow workflow, HistoryEntry entry) {
        state.grow(workflow, StateSizes.entry(entry));
        workflow.record(entry);
    }

    private void endWorkflow(String workflowId, WorkflowStatus status, long index, long now, HistoryKind kind,
            String detail) {
        MutableWorkflow workflow = state.workflow(workflowId);
        state.touch(workflow);
        workflow.status = status;
        workflow.finishedAt = now;
        record(workflow, new HistoryEntry(index, now, kind, null, 0, 0, detail));
    }
}
