package io.flowraft.coordinator.replication;

import java.time.Duration;

/**
 * The command was proposed but whether it committed is unknown (commit timeout, or the leader stepped down
 * with it in flight). Answered 504; retrying with the same idempotency key, lease id or poll id is safe.
 */
public final class OutcomeUnknownException extends RaftUnavailableException {

    public OutcomeUnknownException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
