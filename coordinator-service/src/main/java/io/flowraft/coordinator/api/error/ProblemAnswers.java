package io.flowraft.coordinator.api.error;

import io.flowraft.contracts.RefusalReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way a request is answered with a problem, from Spring MVC ({@link #entity}) or from a servlet filter
 * ({@link #write}): both render it with {@link ProblemResponses} and count every 429 and 503 in
 * {@value #REFUSED}{@code {status, reason}}, so that an operator sees which limit was hit. A refusal's reason is
 * in its body too ({@code reason}). Problems inside a 200 body (the results of a report batch) are not answers to
 * the request and are not counted.
 */
public final class ProblemAnswers {

    public static final String REFUSED = "flowraft.http.refused";

    private final JsonMapper json;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> refused = new ConcurrentHashMap<>();

    public ProblemAnswers(JsonMapper json, MeterRegistry registry) {
        this.json = json;
        this.registry = registry;
        // Every known reason at its status from the start, at 0: a rate() over it works before the first refusal.
        for (RefusalReason reason : RefusalReason.values()) {
            if (reason.status() != 0) {
                counter(reason.status(), reason);
            }
        }
    }

    public ResponseEntity<ProblemDetail> entity(ApiError error, String requestPath) {
        count(error);
        return ProblemResponses.entity(error, requestPath);
    }

    /** Writes the problem as the whole response; does nothing if the response is committed already. */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        count(error);
        response.setStatus(error.status());
        ProblemResponses.headers(error).forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentType(ProblemResponses.PROBLEM_JSON.toString());
        json.writeValue(response.getOutputStream(), ProblemResponses.body(error, request.getRequestURI()));
    }

    private void count(ApiError error) {
        if (error.reason() != null) {
            counter(error.status(), error.reason()).increment();
        }
    }

    private Counter counter(int status, RefusalReason reason) {
        return refused.computeIfAbsent(status + " " + reason.code(), k -> Counter.builder(REFUSED)
                .description("Requests answered 429 or 503, by status and the reason in the problem body")
                .tag("status", Integer.toString(status)).tag("reason", reason.code()).register(registry));
    }
}
