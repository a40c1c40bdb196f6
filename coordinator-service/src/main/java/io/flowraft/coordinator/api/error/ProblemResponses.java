package io.flowraft.coordinator.api.error;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.Problem;
import io.flowraft.contracts.ProblemType;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Renders an {@link ApiError} as RFC 9457 {@code application/problem+json}: {@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance}, plus the FlowRaft extensions {@code field}, {@code leader},
 * {@code retryAfterSeconds} and, on 429 and 503, {@code reason} (see the contract's {@code Problem} record). The
 * content type is set explicitly, so the body is problem+json whatever the request's {@code Accept} said (a client
 * that sent {@code Accept: application/xml} still learns why it got a 406). Answers to a request go out through
 * {@link ProblemAnswers}, which counts the refusals among them.
 */
public final class ProblemResponses {

    public static final MediaType PROBLEM_JSON = MediaType.parseMediaType(FlowRaftHttp.PROBLEM_JSON);

    /** The detail of every 500: what happened is in the log, not in the answer. */
    public static final String INTERNAL_DETAIL = "An unexpected error occurred; it has been logged";

    private ProblemResponses() {
    }

    public static ApiError internal() {
        return ApiError.of(ProblemType.INTERNAL, null, INTERNAL_DETAIL);
    }

    public static ResponseEntity<ProblemDetail> entity(ApiError error, String requestPath) {
        return ResponseEntity.status(error.status())
                .headers(headers(error))
                .contentType(PROBLEM_JSON)
                .body(body(error, requestPath));
    }

    public static ProblemDetail body(ApiError error, String requestPath) {
        ProblemDetail problem = ProblemDetail.forStatus(error.status());
        problem.setType(error.type());
        problem.setTitle(error.title());
        problem.setDetail(Quote.detail(error.detail()));
        URI instance = instance(requestPath);
        if (instance != null) {
            problem.setInstance(instance);
        }
        if (error.field() != null) {
            problem.setProperty("field", error.field());
        }
        if (error.leader() != null) {
            problem.setProperty("leader", error.leader());
        }
        if (error.retryAfterSeconds() != null) {
            problem.setProperty("retryAfterSeconds", error.retryAfterSeconds());
        }
        if (error.reason() != null) {
            problem.setProperty("reason", error.reason().code());
        }
        return problem;
    }

    /**
     * The same problem as a wire record, for an answer that carries problems inside a 200 body (each report of
     * {@code POST /reports}); no {@code instance}, as it is not the request's.
     */
    public static Problem problem(ApiError error) {
        return new Problem(error.type(), error.title(), error.status(), Quote.detail(error.detail()), null,
                error.field(), error.leader(), error.retryAfterSeconds(),
                error.reason() == null ? null : error.reason().code());
    }

    public static HttpHeaders headers(ApiError error) {
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(error.headers());
        if (error.retryAfterSeconds() != null) {
            headers.set(FlowRaftHttp.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        }
        return headers;
    }

    /** The request path as the problem's {@code instance}; left out if it is not a valid URI reference. */
    private static URI instance(String requestPath) {
        if (requestPath == null) {
            return null;
        }
        try {
            return new URI(requestPath);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
