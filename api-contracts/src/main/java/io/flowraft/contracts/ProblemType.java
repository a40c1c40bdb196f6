package io.flowraft.contracts;

import java.net.URI;

/**
 * Every rejection FlowRaft answers with, as an RFC 9457 problem {@code type}. The URIs are stable: clients
 * may switch on them. The engine rejects commands with these same types, so a rejection means the same
 * thing whichever layer produced it.
 */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", 400, "Invalid request"),
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    INVALID_DAG("invalid-dag", 422, "Invalid workflow DAG"),
    INVALID_CONDITION("invalid-condition", 422, "Invalid condition"),
    INVALID_INPUT_TEMPLATE("invalid-input-template", 422, "Invalid input template"),
    LIMIT_EXCEEDED("limit-exceeded", 422, "Limit exceeded"),
    DEFINITION_NOT_FOUND("definition-not-found", 404, "Definition not found"),
    DEFINITION_CONFLICT("definition-conflict", 409, "Definition version already exists with other content"),
    WORKFLOW_NOT_FOUND("workflow-not-found", 404, "Workflow not found"),
    WORKFLOW_ALREADY_EXISTS("workflow-already-exists", 409, "Workflow already exists"),
    WORKFLOW_FINISHED("workflow-finished", 409, "Workflow already finished"),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", 422, "Idempotency key reused with a different request"),
    LEASE_NOT_FOUND("lease-not-found", 404, "Lease not found"),
    STALE_LEASE("stale-lease", 409, "Lease no longer held"),
    LEASE_EXPIRED("lease-expired", 409, "Lease expired"),
    REPORT_CONFLICT("report-conflict", 409, "Task already reported differently under this lease"),
    NOT_LEADER("not-leader", 503, "No leader reachable"),
    OUTCOME_UNKNOWN("outcome-unknown", 504, "Commit outcome unknown; retry with the same idempotency key"),
    OVERLOADED("overloaded", 429, "Too many requests in flight"),
    SNAPSHOT_FAILED("snapshot-failed", 503, "Snapshot not taken"),
    INTERNAL("internal", 500, "Internal error"),
    STATE_BUDGET("state-budget", 429, "The replicated state is full; running work continues, new work waits"),
    MEMBERSHIP_CHANGE_FAILED("membership-change-failed", 503, "Membership change or leadership transfer not made"),
    MEMBERSHIP_CONFLICT("membership-conflict", 409, "Change does not fit the current membership"),
    HISTORY_BACKLOG("history-backlog", 429, "History export is behind; new work waits until it catches up"),
    HISTORY_UNAVAILABLE("history-unavailable", 503, "The history database cannot be read now"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Not allowed for this principal"),
    RATE_LIMITED("rate-limited", 429, "Request rate limit reached for this principal"),
    LEASE_NOT_OWNED("lease-not-owned", 403, "Lease held by another principal");

    /** The base of every problem type URI. */
    public static final String BASE = "https://flowraft.io/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    /** The HTTP status this problem is answered with. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem type for a {@code type} URI, for clients reading a problem body. */
    public static ProblemType fromUri(URI uri) {
        for (ProblemType type : values()) {
            if (type.uri().equals(uri)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown problem type " + uri);
    }
}
