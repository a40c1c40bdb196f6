package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TraceParent;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.ModelCodec;
import io.flowraft.coordinator.engine.codec.Sha256;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import io.flowraft.coordinator.engine.state.EvictedKey;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.engine.validation.DagValidator;
import io.flowraft.coordinator.engine.validation.Payloads;

/**
 * Starts a workflow. With an idempotency key, a retry of the same request answers the workflow the first
 * one started ({@code created=false}) whatever happened since, and a different request under the same key
 * is rejected: the key is what makes an "outcome unknown" submit safe to retry.
 */
final class SubmitWorkflowHandler implements CommandHandler<SubmitWorkflow> {

    private final DagValidator validator;
    private final Progression progression;

    SubmitWorkflowHandler(DagValidator validator, Progression progression) {
        this.validator = validator;
        this.progression = progression;
    }

    @Override
    public CommandResult handle(SubmitWorkflow command, EngineReadState state, EventWriter events) {
        EngineLimits limits = state.limits();
        String key = command.idempotencyKey();
        if (key != null && !Ids.isValidKey(key)) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "idempotencyKey",
                    "Idempotency key must be " + Ids.KEY_RULE);
        }
        String fingerprint = key == null ? null : fingerprint(command);
        if (key != null) {
            String existing = state.workflowIdForKey(key);
            EvictedKey evicted = existing == null ? state.evictedKey(key) : null;
            String firstFingerprint = existing != null ? state.workflow(existing).fingerprint()
                    : evicted != null ? evicted.fingerprint() : null;
            if (firstFingerprint != null) {
                String first = existing != null ? existing : evicted.workflowId();
                if (firstFingerprint.equals(fingerprint)) {
                    return new WorkflowSubmitted(first, false);
                }
                return Rejection.onField(ProblemType.IDEMPOTENCY_CONFLICT, "idempotencyKey",
                        "Idempotency key '" + key + "' already started workflow '" + first
                                + "' with a different request");
            }
        }
        if (!Ids.isValidId(command.workflowId())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "workflowId",
                    "Workflow id must match " + Ids.ID_RULE + ", was '" + command.workflowId() + "'");
        }
        WorkflowState clash = state.workflow(command.workflowId());
        if (clash != null) {
            return Rejection.onField(ProblemType.WORKFLOW_ALREADY_EXISTS, "workflowId",
                    "Workflow '" + command.workflowId() + "' already exists");
        }
        String input = command.input() == null ? "{}" : command.input();
        if (Payloads.utf8Length(input) > limits.maxPayloadBytes()) {
            return Rejection.onField(ProblemType.LIMIT_EXCEEDED, "input",
                    "Workflow input may be at most " + limits.maxPayloadBytes() + " bytes of JSON");
        }
        if ((command.definition() == null) == (command.tasks() == null)) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "definition",
                    "Give exactly one of 'definition' (a registered name, or name@version) and 'tasks' (an inline DAG)");
        }
        DagPlan plan;
        String definitionRef = null;
        if (command.definition() != null) {
            RegisteredDefinition definition = command.definition().isLatest()
                    ? state.latestDefinition(command.definition().name())
                    : state.definition(command.definition().name(), command.definition().version());
            if (definition == null) {
                return Rejection.onField(ProblemType.DEFINITION_NOT_FOUND, "definition",
                        "No definition '" + command.definition() + "' is registered");
            }
            plan = definition.plan();
            definitionRef = definition.definition().ref();
        } else {
            DagValidator.Result validation = validator.validate(command.tasks(), limits);
            if (!validation.isValid()) {
                return validation.rejection();
            }
            plan = validation.plan();
        }
        // A malformed trace context is dropped, not refused: tracing never stands in the way of a submit.
        events.append(new Event.WorkflowSubmitted(command.workflowId(), definitionRef, plan, input, key, fingerprint,
                TraceParent.validOrNull(command.traceParent())));
        WorkflowState workflow = state.workflow(command.workflowId());
        // The workflow is built in full before it is judged; a rejection below undoes all of it.
        Progression.Overflow overflow = progression.start(workflow, limits, events);
        if (overflow != null) {
            String field = command.tasks() != null ? "tasks[" + overflow.position() + "]." + overflow.member() : "definition";
            return Rejection.onField(ProblemType.LIMIT_EXCEEDED, field, "The workflow cannot start: the "
                    + overflow.message());
        }
        if (workflow.heldBytes() > limits.maxWorkflowBytes()) {
            return Rejection.onField(ProblemType.LIMIT_EXCEEDED, "input", "The workflow cannot start: its input, DAG "
                    + "and first tasks' inputs take " + workflow.heldBytes() + " bytes, more than maxWorkflowBytes ("
                    + limits.maxWorkflowBytes() + ")");
        }
        Rejection full = StateBudget.check(state, command.now());
        if (full != null) {
            return full;
        }
        return new WorkflowSubmitted(command.workflowId(), true);
    }

    /** What makes two submits "the same request": everything but the proposer's id and stamp. */
    private static String fingerprint(SubmitWorkflow command) {
        BinaryWriter out = new BinaryWriter();
        ModelCodec.writeDefinitionRef(out, command.definition());
        ModelCodec.writeTasks(out, command.tasks());
        out.writeString(command.input() == null ? "{}" : command.input());
        return Sha256.hex(out.toByteArray());
    }
}
