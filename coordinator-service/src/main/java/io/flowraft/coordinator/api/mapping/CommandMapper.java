package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.CancelWorkflowRequest;
import io.flowraft.contracts.CompleteTaskRequest;
import io.flowraft.contracts.DefinitionRef;
import io.flowraft.contracts.FailTaskRequest;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TraceParent;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import java.util.Objects;

/**
 * Maps request bodies to engine commands. Commands carry {@code now = 0}: the leader stamps its own clock
 * before proposing, and no client or follower clock reaches the state machine.
 */
public final class CommandMapper {

    private static final long UNSTAMPED = 0;

    private CommandMapper() {
    }

    public static RegisterDefinition register(RegisterDefinitionRequest request) {
        if (request.version() != null && request.version() < 1) {
            throw ApiProblemException.invalid("version",
                    "Expected a version of at least 1, or none for the next one, but found " + request.version());
        }
        return new RegisterDefinition(UNSTAMPED, request.name(), request.version() == null ? 0 : request.version(),
                TaskSpecMapper.toEngine(request.tasks()));
    }

    /**
     * @param headerKey the {@code Idempotency-Key} header, or {@code null}; if the body names a key too, they
     *     must be equal
     * @param workflowId the id a new workflow gets; ignored by the engine when the key is known already
     */
    public static SubmitWorkflow submit(SubmitWorkflowRequest request, String headerKey, String workflowId) {
        return submit(request, headerKey, workflowId, null);
    }

    /** As {@link #submit(SubmitWorkflowRequest, String, String)}, in the trace {@code traceParent} (or none). */
    public static SubmitWorkflow submit(SubmitWorkflowRequest request, String headerKey, String workflowId,
            String traceParent) {
        String key = idempotencyKey(headerKey, request.idempotencyKey());
        io.flowraft.coordinator.engine.model.DefinitionRef definition = null;
        if (request.definition() != null) {
            DefinitionRef ref;
            try {
                ref = DefinitionRef.parse(request.definition());
            } catch (IllegalArgumentException e) {
                throw ApiProblemException.invalid("definition", e.getMessage());
            }
            definition = new io.flowraft.coordinator.engine.model.DefinitionRef(ref.name(),
                    ref.version() == null ? io.flowraft.coordinator.engine.model.DefinitionRef.LATEST : ref.version());
        }
        return new SubmitWorkflow(UNSTAMPED, workflowId, key, definition, TaskSpecMapper.toEngine(request.tasks()),
                JsonText.write(request.input()), TraceParent.validOrNull(traceParent));
    }

    private static String idempotencyKey(String header, String body) {
        if (header != null && body != null && !header.equals(body)) {
            throw ApiProblemException.invalid("idempotencyKey",
                    "The Idempotency-Key header and the body's idempotencyKey differ; send one, or the same in both");
        }
        return header != null ? header : body;
    }

    public static CancelWorkflow cancel(String workflowId, CancelWorkflowRequest request) {
        return new CancelWorkflow(UNSTAMPED, workflowId, request == null ? null : request.reason());
    }

    /** @param principal the caller reporting: the engine refuses the report unless the lease is bound to it */
    public static CompleteTask complete(String leaseId, CompleteTaskRequest request, String principal) {
        return new CompleteTask(UNSTAMPED, leaseId, request == null ? null : JsonText.write(request.output()), principal);
    }

    /** @param principal the caller reporting: the engine refuses the report unless the lease is bound to it */
    public static FailTask fail(String leaseId, FailTaskRequest request, String principal) {
        FailTaskRequest body = Objects.requireNonNullElse(request, new FailTaskRequest(null, null));
        return new FailTask(UNSTAMPED, leaseId, body.error(), body.retryAllowed(), principal);
    }
}
