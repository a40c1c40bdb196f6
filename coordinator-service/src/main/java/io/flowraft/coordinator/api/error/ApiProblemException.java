package io.flowraft.coordinator.api.error;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;

/**
 * An expected refusal of a request, answered as a problem of a FlowRaft {@link ProblemType}: a malformed
 * field found by the REST layer, or a rejection the engine committed. It carries no stack trace: it is an
 * answer, not a fault, and is never logged as an error.
 */
public final class ApiProblemException extends RuntimeException {

    private final ProblemType type;
    private final String field;

    /**
     * @param field the request field at fault, as a path such as {@code tasks[2].dependsOn}; {@code null} if the
     *     problem is not about one field
     * @param detail for humans: what was expected and what was found
     */
    public ApiProblemException(ProblemType type, String field, String detail) {
        super(detail, null, false, false);
        this.type = type;
        this.field = field;
    }

    /** A 400 {@link ProblemType#INVALID_REQUEST} about one field. */
    public static ApiProblemException invalid(String field, String detail) {
        return new ApiProblemException(ProblemType.INVALID_REQUEST, field, detail);
    }

    /** The engine's rejection, with its own problem type, field and message. */
    public static ApiProblemException of(Rejection rejection) {
        return new ApiProblemException(rejection.type(), rejection.field(), rejection.message());
    }

    public ProblemType type() {
        return type;
    }

    public String field() {
        return field;
    }
}
