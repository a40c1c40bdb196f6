package io.flowraft.coordinator.api.error;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.replication.InvalidPeerException;
import io.flowraft.coordinator.replication.MembershipChangeFailedException;
import io.flowraft.coordinator.replication.MembershipConflictException;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import io.flowraft.coordinator.replication.RaftUnavailableException;
import io.flowraft.coordinator.replication.SnapshotFailedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.JacksonException;

/**
 * Decides what any failure of a request is answered with. Order matters: causes that explain a wrapper
 * (a body too large inside a JSON error, a Raft failure inside a {@link CompletionException}) win over the
 * wrapper. Anything not recognised is a 500 {@link ProblemType#INTERNAL}: the caller logs it, the client
 * learns nothing about internals.
 */
public final class ProblemClassifier {

    /** How long to suggest waiting after a request timed out in the server. */
    private static final Duration TIMEOUT_RETRY_AFTER = Duration.ofSeconds(1);

    /** A full state empties as running workflows finish: seconds, not milliseconds. */
    private static final Duration STATE_BUDGET_RETRY_AFTER = Duration.ofSeconds(5);

    private ProblemClassifier() {
    }

    /** The answer to {@code failure}; {@code null} only for the internal errors the caller must log. */
    public static ApiError classify(Throwable failure) {
        Throwable e = unwrap(failure);
        PayloadTooLargeException tooLarge = findCause(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return ApiError.of(ProblemType.PAYLOAD_TOO_LARGE, null, tooLarge.getMessage());
        }
        return switch (e) {
            case ApiProblemException p -> withRetryAfterIfTransient(ApiError.of(p.type(), p.field(), p.getMessage()));
            case RaftUnavailableException r -> raft(r);
            case MembershipConflictException c -> ApiError.of(ProblemType.MEMBERSHIP_CONFLICT,
                    c.peer() == null ? null : "peer", c.getMessage());
            case InvalidPeerException p -> ApiError.of(ProblemType.INVALID_REQUEST, "peer", p.getMessage());
            case HttpMessageNotReadableException r -> unreadable(r);
            case TypeMismatchException t -> ApiError.of(ProblemType.INVALID_REQUEST, t.getPropertyName(),
                    "Expected '" + t.getPropertyName() + "' to be "
                            + (t.getRequiredType() == null ? "something else" : describe(t.getRequiredType()))
                            + ", but found " + Quote.of(t.getValue()));
            case MissingServletRequestParameterException m -> ApiError.of(ProblemType.INVALID_REQUEST,
                    m.getParameterName(), "Query parameter '" + m.getParameterName() + "' is required");
            case MissingRequestHeaderException m -> ApiError.of(ProblemType.INVALID_REQUEST, m.getHeaderName(),
                    "Header '" + m.getHeaderName() + "' is required");
            case MethodArgumentNotValidException m -> beanValidation(m);
            case HandlerMethodValidationException m -> ApiError.of(ProblemType.INVALID_REQUEST,
                    m.getParameterValidationResults().isEmpty() ? null
                            : m.getParameterValidationResults().getFirst().getMethodParameter().getParameterName(),
                    "Invalid request parameter");
            case HttpMediaTypeNotSupportedException m -> new ApiError(415, ProblemType.UNSUPPORTED_MEDIA_TYPE.uri(),
                    ProblemType.UNSUPPORTED_MEDIA_TYPE.title(), m.getContentType() == null
                            // Spring could not parse the header (no '/', an unknown charset): there is no type to name.
                            ? "The Content-Type header is not a valid media type; send application/json"
                            : "Content type '" + m.getContentType() + "' is not supported; send application/json",
                    null, null, null, m.getHeaders());
            case AsyncRequestTimeoutException t -> ApiError.of(ProblemType.OUTCOME_UNKNOWN, null,
                    "The request did not finish in time; if it was a write, it may still commit: retry it with "
                            + "the same idempotency key, lease id or poll id").withRetryAfter(TIMEOUT_RETRY_AFTER);
            case ErrorResponse r -> fromStatus(r);
            default -> null;
        };
    }

    /**
     * A 429 or 503 the engine decided (a full state budget, say) always says when to come back, like those
     * the Raft layer raises.
     */
    private static ApiError withRetryAfterIfTransient(ApiError error) {
        if (error.retryAfter() == null && (error.status() == 429 || error.status() == 503)) {
            boolean stateFull = error.type().equals(ProblemType.STATE_BUDGET.uri())
                    || error.type().equals(ProblemType.HISTORY_BACKLOG.uri());
            return error.withRetryAfter(stateFull ? STATE_BUDGET_RETRY_AFTER : Duration.ofSeconds(1));
        }
        return error;
    }

    private static ApiError raft(RaftUnavailableException e) {
        ApiError error = switch (e) {
            case NoLeaderException n -> ApiError.of(ProblemType.NOT_LEADER, null, n.getMessage())
                    .withLeader(n.leaderHint());
            case OverloadedException o -> ApiError.of(ProblemType.OVERLOADED, null, o.getMessage())
                    .withReason(o.reason());
            case OutcomeUnknownException u -> ApiError.of(ProblemType.OUTCOME_UNKNOWN, null, u.getMessage());
            case SnapshotFailedException s -> ApiError.of(ProblemType.SNAPSHOT_FAILED, null, s.getMessage());
            case MembershipChangeFailedException m -> ApiError.of(ProblemType.MEMBERSHIP_CHANGE_FAILED, null,
                    m.getMessage());
        };
        return error.withRetryAfter(e.retryAfter() == null ? Duration.ofSeconds(1) : e.retryAfter());
    }

    private static ApiError unreadable(HttpMessageNotReadableException e) {
        JacksonException json = findCause(e, JacksonException.class);
        if (json != null) {
            return JsonReadProblems.classify(json);
        }
        // Spring reports an empty body this way, without a cause.
        return ApiError.of(ProblemType.INVALID_REQUEST, null, "A JSON request body is required");
    }

    private static ApiError beanValidation(MethodArgumentNotValidException e) {
        FieldError error = e.getBindingResult().getFieldError();
        return error == null
                ? ApiError.of(ProblemType.INVALID_REQUEST, null, "Invalid request")
                : ApiError.of(ProblemType.INVALID_REQUEST, error.getField(),
                        "'" + error.getField() + "' " + error.getDefaultMessage());
    }

    /** Spring MVC's own refusals (404 no such path, 405, 406, ...): their status is the answer. */
    private static ApiError fromStatus(ErrorResponse e) {
        int status = e.getStatusCode().value();
        String detail = e.getBody().getDetail();
        return switch (status) {
            case 400 -> ApiError.of(ProblemType.INVALID_REQUEST, null, detail);
            case 413 -> ApiError.of(ProblemType.PAYLOAD_TOO_LARGE, null, detail);
            case 415 -> ApiError.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, null, detail);
            // Spring says "No static resource ..." for any unmapped path; the API has no static resources.
            case 404 -> ApiError.ofStatus(404, "No endpoint at this path; see docs/API.md", e.getHeaders());
            default -> status >= 500 ? null : ApiError.ofStatus(status, detail, e.getHeaders());
        };
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type.isEnum()) {
            return "one of " + java.util.List.of(type.getEnumConstants());
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant in UTC such as 2026-12-03T10:15:30Z";
        }
        return "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Futures wrap the real failure; the real one decides the answer. */
    static Throwable unwrap(Throwable e) {
        Throwable current = e;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
