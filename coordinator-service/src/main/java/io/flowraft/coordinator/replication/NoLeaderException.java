package io.flowraft.coordinator.replication;

import java.time.Duration;

/** No leader is known or reachable: nothing was proposed. Answered 503. */
public final class NoLeaderException extends RaftUnavailableException {

    private final String leaderHint;

    public NoLeaderException(String message, String leaderHint, Duration retryAfter) {
        super(message, retryAfter);
        this.leaderHint = leaderHint;
    }

    /** The last leader this node heard of, or null. */
    public String leaderHint() {
        return leaderHint;
    }
}
