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

    /** Query parameter choosing read consistency; linearizable unless it is {@link #CONSISTENCY_STALE}. */
    public static final String CONSISTENCY = "consistency";

    /** Value of {@link #CONSISTENCY} that reads the answering node's local, possibly stale, state. */
    public static final String CONSISTENCY_STALE = "stale";

    /** Media type of request and response bodies. */
    public static final String JSON = "application/json";

    /** Media type of error bodies (RFC 9457). */
    public static final String PROBLEM_JSON = "application/problem+json";

    private FlowRaftHttp() {
    }
}
