package io.flowraft.contracts;

import java.net.URI;
import java.util.Optional;

/**
 * An RFC 9457 problem body ({@value FlowRaftHttp#PROBLEM_JSON}) as FlowRaft answers it, for clients that read
 * errors. The server builds its bodies with its web framework; this record only has to read them, so it
 * keeps unknown members out rather than failing on them.
 *
 * @param type identifies the kind of problem; one of {@link ProblemType#uri()} for FlowRaft's own, see
 *     {@link #knownType()}. {@code null} means {@code about:blank} (RFC 9457 §3.1.1)
 * @param title a short human-readable summary of the type; not for parsing
 * @param status the HTTP status code, repeated for convenience; {@code null} if the body omits it
 * @param detail what went wrong this time, for humans; not for parsing
 * @param instance identifies this occurrence (usually the request path); {@code null} if none
 * @param field extension: the request field that failed validation, as a path such as
 *     {@code tasks[2].dependsOn}; {@code null} if the problem is not about one field
 * @param leader extension, for {@link ProblemType#NOT_LEADER}: the leader's peer id or URL if one is known, so a
 *     client can go there directly; {@code null} otherwise
 * @param retryAfterSeconds extension, for 429 and 503: how long to wait before retrying, the same value as the
 *     {@value FlowRaftHttp#RETRY_AFTER} header; {@code null} otherwise
 * @param reason extension, for 429 and 503: which limit or condition refused the request, a stable code such as
 *     {@code proposal-queue-full} or {@code state-budget} (see {@link RefusalReason} and {@link #knownReason()});
 *     finer than {@link #type()}, which several reasons share. {@code null} otherwise, and from servers that
 *     predate it
 */
public record Problem(URI type, String title, Integer status, String detail, URI instance, String field,
        String leader, Long retryAfterSeconds, String reason) {

    /** A problem without a {@code reason} (the members before it was added). */
    public Problem(URI type, String title, Integer status, String detail, URI instance, String field, String leader,
            Long retryAfterSeconds) {
        this(type, title, status, detail, instance, field, leader, retryAfterSeconds, null);
    }

    /** A problem of a FlowRaft type, with the type's URI, title and status filled in. */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, null, null, null, null);
    }

    /**
     * The refusal reason, or empty when there is none or this client does not know it (a newer server may add
     * some): callers then fall back on {@link #knownType()}.
     */
    public Optional<RefusalReason> knownReason() {
        return RefusalReason.fromCode(reason);
    }

    /**
     * The FlowRaft problem type, or empty for {@code about:blank} and for types this client does not know
     * (a newer server may add some): callers then fall back on {@link #status()}.
     */
    public Optional<ProblemType> knownType() {
        if (type == null) {
            return Optional.empty();
        }
        for (ProblemType candidate : ProblemType.values()) {
            if (candidate.uri().equals(type)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Problem withInstance(URI newInstance) {
        return new Problem(type, title, status, detail, newInstance, field, leader, retryAfterSeconds, reason);
    }

    public Problem withField(String newField) {
        return new Problem(type, title, status, detail, instance, newField, leader, retryAfterSeconds, reason);
    }

    public Problem withLeader(String newLeader) {
        return new Problem(type, title, status, detail, instance, field, newLeader, retryAfterSeconds, reason);
    }

    public Problem withRetryAfterSeconds(Long seconds) {
        return new Problem(type, title, status, detail, instance, field, leader, seconds, reason);
    }

    public Problem withReason(String newReason) {
        return new Problem(type, title, status, detail, instance, field, leader, retryAfterSeconds, newReason);
    }
}
