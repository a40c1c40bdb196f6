package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.Changes;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.expression.ConditionBudget;
import io.flowraft.coordinator.engine.expression.ParsedJson;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EventApplier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Appends the events of the command being applied and applies each one at once, so that a handler sees
 * the effect of its earlier events (a completed task making its dependents ready, and so on). Notes the
 * {@link Changes} the events make as they go, and carries what the command's evaluations share: the documents
 * parsed so far and the budget of its conditions.
 */
public final class EventWriter {

    private final EventApplier applier;
    private final EngineReadState state;
    private final long index;
    private final long now;
    private final List<Event> written = new ArrayList<>();
    private final TreeMap<String, Integer> readied = new TreeMap<>();
    private final Set<String> ended = new HashSet<>();
    private boolean slotsFreed;
    private final ParsedJson parsed = new ParsedJson();
    private final ConditionBudget conditionBudget = new ConditionBudget(Progression.CONDITION_COST_PER_COMMAND);

    public EventWriter(EventApplier applier, EngineReadState state, long index, long now) {
        this.applier = applier;
        this.state = state;
        this.index = index;
        this.now = now;
    }

    public void append(Event event) {
        applier.apply(event, index, now);
        written.add(event);
        note(event);
    }

    private void note(Event event) {
        switch (event) {
            case Event.WorkflowCompleted e -> ended.add(e.workflowId());
            case Event.WorkflowFailed e -> ended.add(e.workflowId());
            case Event.WorkflowCancelled e -> ended.add(e.workflowId());
            case Event.TaskReadied e -> readied.merge(spec(e.workflowId(), e.taskId()).type(), 1, Integer::sum);
            case Event.TaskRetryScheduled e -> {
                TaskSpec spec = spec(e.workflowId(), e.taskId());
                readied.merge(spec.type(), 1, Integer::sum);
                slotsFreed |= spec.concurrency() != null;
            }
            case Event.TaskCompleted e -> slotsFreed |= spec(e.workflowId(), e.taskId()).concurrency() != null;
            case Event.TaskFailed e -> slotsFreed |= spec(e.workflowId(), e.taskId()).concurrency() != null;
            case Event.TaskCancelled e -> slotsFreed |= spec(e.workflowId(), e.taskId()).concurrency() != null;
            // a rate limit raised or removed may let held-back tasks of the type go now
            case Event.TaskTypeConfigured e -> slotsFreed = true;
            default -> {
            }
        }
    }

    private TaskSpec spec(String workflowId, String taskId) {
        return state.workflow(workflowId).task(taskId).spec();
    }

    /** The log index of the command being applied. */
    public long index() {
        return index;
    }

    /** The leader's stamp on the command being applied. */
    public long now() {
        return now;
    }

    /** The documents this command has parsed, to parse each once however many tasks read it. */
    public ParsedJson parsed() {
        return parsed;
    }

    /** What the conditions this command evaluates may still cost together. */
    public ConditionBudget conditionBudget() {
        return conditionBudget;
    }

    public List<Event> written() {
        return written;
    }

    public Changes changes() {
        return written.isEmpty() ? Changes.NONE : new Changes(readied, ended, slotsFreed);
    }
}
