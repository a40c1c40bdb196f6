package io.flowraft.coordinator.replication;

import java.time.Duration;

/** The cluster could not take a request now; the client should retry after {@link #retryAfter()}. */
public abstract sealed class RaftUnavailableException extends RuntimeException
        permits NoLeaderException, OverloadedException, OutcomeUnknownException, SnapshotFailedException,
        MembershipChangeFailedException {

    private final Duration retryAfter;

    protected RaftUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
