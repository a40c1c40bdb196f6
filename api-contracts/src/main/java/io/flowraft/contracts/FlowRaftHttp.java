package io.flowraft.contracts;

/**
 * Names on the HTTP wire that server and clients must spell the same way. Standard headers are here too so
 * a client needs no web framework to name them.
 */
public final class FlowRaftHttp {

    /** Every v1 path starts with this. */
    public static final String API_V1 = "/api/v1";

    /** Request header that makes a submit safe to retry; equivalent to {@link SubmitWorkflowRequest#idempotencyKey()}. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Response header on 429 and 503: seconds to wait before retrying (RFC 9110 §10.2.3). */
    public static final String RETRY_AFTER = "Retry-After";

    /**
     * Response header on every {@code /api/v1} answer: {@value #ROLE_LEADER} when the answering coordinator leads
     * (writes sent to it are proposed there), {@value #ROLE_FOLLOWER} when it would forward them. Clients that
     * prefer a coordinator answering {@code leader} save the forwarding hop; any coordinator still works.
     */
    public static final String ROLE = "FlowRaft-Role";
    public static final String ROLE_LEADER = "leader";
    public static final String ROLE_FOLLOWER = "follower";

    /** Query parameter choosing read consistency; linearizable unless it is {@link #CONSISTENCY_STALE}. */
    public static final String CONSISTENCY = "consistency";

    /** Value of {@link #CONSISTENCY} that reads the answering node's local, possibly stale, state. */
    public static final String CONSISTENCY_STALE = "stale";

    /**
     * Query parameter of {@code GET /workflows/{id}}: how long, in milliseconds (0 to 60000, default 0), to hold
     * the request while the workflow is RUNNING, waiting for it to end.
     */
    public static final String WAIT_MS = "waitMs";

    /** Media type of request and response bodies. */
    public static final String JSON = "application/json";

    /** Media type of error bodies (RFC 9457). */
    public static final String PROBLEM_JSON = "application/problem+json";

    private FlowRaftHttp() {
    }
}
