package io.flowraft.coordinator.api.error;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.RefusalReason;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * What a failed request is answered with, before it is rendered as RFC 9457 {@code application/problem+json}.
 *
 * @param status the HTTP status
 * @param type the problem type URI; {@code about:blank} for statuses FlowRaft has no type of its own for
 *     (404 unknown path, 405, 406), whose meaning the status says already (RFC 9457 §4.2.1)
 * @param title the type's short summary
 * @param detail this occurrence, for humans; never a stack trace or a class name
 * @param field the request field at fault, or {@code null}
 * @param leader for no-leader answers: the last known leader, or {@code null}
 * @param retryAfter for 429, 503 and 504: when to retry; {@code null} otherwise
 * @param headers extra response headers ({@code Allow} on 405, {@code Accept} on 415); never {@code null}
 * @param reason for 429 and 503: which limit or condition refused the request; {@link RefusalReason#OTHER} when
 *     nothing says, so that every refusal has one; {@code null} for every other status
 */
public record ApiError(int status, URI type, String title, String detail, String field, String leader,
        Duration retryAfter, HttpHeaders headers, RefusalReason reason) {

    public static final URI ABOUT_BLANK = URI.create("about:blank");

    public ApiError {
        headers = headers == null ? HttpHeaders.EMPTY : headers;
        boolean refusal = status == 429 || status == 503;
        reason = refusal ? (reason == null ? RefusalReason.OTHER : reason) : null;
    }

    public ApiError(int status, URI type, String title, String detail, String field, String leader,
            Duration retryAfter, HttpHeaders headers) {
        this(status, type, title, detail, field, leader, retryAfter, headers, null);
    }

    /** A problem of a FlowRaft type; a refusal gets the type's usual reason ({@link RefusalReason#defaultFor}). */
    public static ApiError of(ProblemType type, String field, String detail) {
        return new ApiError(type.status(), type.uri(), type.title(), detail, field, null, null, null,
                RefusalReason.defaultFor(type).orElse(null));
    }

    /** A problem whose HTTP status says it all ({@code about:blank}, titled with the status phrase). */
    public static ApiError ofStatus(int status, String detail, HttpHeaders headers) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return new ApiError(status, ABOUT_BLANK, title, detail, null, null, null, headers);
    }

    public ApiError withRetryAfter(Duration after) {
        return new ApiError(status, type, title, detail, field, leader, after, headers, reason);
    }

    public ApiError withLeader(String leaderHint) {
        return new ApiError(status, type, title, detail, field, leaderHint, retryAfter, headers, reason);
    }

    /** The same problem refused for a finer reason than its type's usual one; ignored unless it is a 429 or 503. */
    public ApiError withReason(RefusalReason finer) {
        return new ApiError(status, type, title, detail, field, leader, retryAfter, headers, finer);
    }

    /** Whole seconds, rounded up and at least 1: a zero would invite clients to retry in a tight loop. */
    public Long retryAfterSeconds() {
        if (retryAfter == null) {
            return null;
        }
        long millis = Math.max(0, retryAfter.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }
}
