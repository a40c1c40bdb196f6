package io.flowraft.coordinator.replication;

import io.flowraft.contracts.RefusalReason;
import java.time.Duration;

/**
 * Too many proposals in flight, Raft's own queues are full, or another membership change is under way: nothing was
 * proposed. Answered 429 {@code overloaded} with its {@link #reason()}.
 */
public final class OverloadedException extends RaftUnavailableException {

    private final RefusalReason reason;

    public OverloadedException(String message, RefusalReason reason, Duration retryAfter) {
        super(message, retryAfter);
        this.reason = reason;
    }

    /** Which limit was hit: {@code proposal-queue-full}, {@code raft-busy} or {@code membership-change-in-progress}. */
    public RefusalReason reason() {
        return reason;
    }
}
