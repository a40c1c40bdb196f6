package io.flowraft.coordinator.raft;

import java.io.Serializable;

/**
 * The leader's answer to a {@link ForwardRequest}: the encoded result, or what kept the leader from
 * committing (its own failure class name, for the follower to rethrow as the same kind).
 */
public final class ForwardResponse implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Failure kinds; none means {@code result} is set. */
    static final String NOT_LEADER = "NOT_LEADER";
    static final String OVERLOADED = "OVERLOADED";
    static final String OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";

    private byte[] result;
    private String failure;
    private String message;
    private long retryAfterMs;

    public ForwardResponse() {
    }

    static ForwardResponse success(byte[] result) {
        ForwardResponse r = new ForwardResponse();
        r.result = result;
        return r;
    }

    static ForwardResponse failure(String failure, String message, long retryAfterMs) {
        ForwardResponse r = new ForwardResponse();
        r.failure = failure;
        r.message = message;
        r.retryAfterMs = retryAfterMs;
        return r;
    }

    byte[] result() {
        return result;
    }

    String failure() {
        return failure;
    }

    String message() {
        return message;
    }

    long retryAfterMs() {
        return retryAfterMs;
    }
}
