package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes every command all or nothing. Events are applied as a handler writes them (so it sees their effect),
 * which means a handler that fails half-way, or rejects a command after writing events, would leave the state
 * half changed. The journal remembers, before the first change of each object in a command, what the object
 * was; {@link EngineState#rollback} puts every one back, and {@link EngineState#commit} forgets them and folds
 * the changes into the state digest. Cost: one memento per object a command changes.
 */
final class StateJournal {

    record TaskMemento(MutableTask task, TaskStatus status, int attempt, String input, String output, String error,
            long fencingToken, String leaseWorker, String leaseOwner, long leaseExpiresAt, long leaseDeadline, long leaseMs,
            long notBefore, long readySeq, long readyAt, long finishedAt, boolean delayed) {
    }

    record WorkflowMemento(MutableWorkflow workflow, WorkflowStatus status, long finishedAt, int unfinished,
            int historySize, long heldBytes) {
    }

    /** @param before the record the key had, or null when it had none */
    record PollMemento(PollerKey key, PollRecord before) {
    }

    /** @param before the settings the type had, or null when it had none */
    record TaskTypeMemento(String type, TaskTypeSettings before) {
    }

    /** @param before the tombstone the key had, or null when it had none */
    record KeyMemento(String idempotencyKey, EvictedKey before) {
    }

    /** Identifies the command being applied; objects carry the mark of the command that saved them last. */
    long mark;
    long fencingToken;
    long readySeq;
    long heldBytes;
    EngineLimits limits;
    boolean limitsConfigured;
    Retention retention;
    String clusterId;
    long exportedThrough;
    PollerKey pollSweepAfter;
    final List<TaskMemento> tasks = new ArrayList<>();
    final List<WorkflowMemento> workflows = new ArrayList<>();
    final List<MutableWorkflow> addedWorkflows = new ArrayList<>();
    final List<RegisteredDefinition> addedDefinitions = new ArrayList<>();
    final List<PollMemento> polls = new ArrayList<>();
    final List<MutableWorkflow> evictedWorkflows = new ArrayList<>();
    final List<KeyMemento> keys = new ArrayList<>();
    final List<TaskTypeMemento> taskTypes = new ArrayList<>();

    boolean active() {
        return mark != 0;
    }

    void clear() {
        mark = 0;
        tasks.clear();
        workflows.clear();
        addedWorkflows.clear();
        addedDefinitions.clear();
        polls.clear();
        evictedWorkflows.clear();
        keys.clear();
        taskTypes.clear();
        limits = null;
        retention = null;
        clusterId = null;
        pollSweepAfter = null;
    }
}
