package io.flowraft.coordinator.replication;

import java.time.Duration;

/**
 * A membership change or leadership transfer that Raft did not make now, though it might later: the new peer
 * did not catch up, the leader was busy stepping down, the request timed out. Answered 503 with the reason.
 */
public final class MembershipChangeFailedException extends RaftUnavailableException {

    public MembershipChangeFailedException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
