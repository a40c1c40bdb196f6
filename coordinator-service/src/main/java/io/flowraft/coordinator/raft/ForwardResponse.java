package io.flowraft.coordinator.raft;

import java.io.Serializable;

/**
 * The leader's answer to a {@link ForwardRequest}: the encoded result and the log index it was committed at,
 * or what kept the leader from committing (its own failure class name, for the follower to rethrow as the
 * same kind). Hessian skips fields the other side does not know, so a leader without {@code index} answers
 * 0 to a newer follower, and a newer leader's index is ignored by an older follower.
 */
public final class ForwardResponse implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Failure kinds; none means {@code result} is set. */
    static final String NOT_LEADER = "NOT_LEADER";
    static final String OVERLOADED = "OVERLOADED";
    static final String OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";

    private byte[] result;
    private long index;
    private String failure;
    private String message;
    private long retryAfterMs;

    public ForwardResponse() {
    }

    static ForwardResponse success(byte[] result, long index) {
        ForwardResponse r = new ForwardResponse();
        r.result = result;
        r.index = index;
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

    /** The committed entry's log index; 0 if the leader did not say. */
    long index() {
        return index;
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
