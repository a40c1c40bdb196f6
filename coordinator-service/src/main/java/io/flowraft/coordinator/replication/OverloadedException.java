package io.flowraft.coordinator.replication;

import java.time.Duration;

/** Too many proposals in flight, or Raft's own queues are full: nothing was proposed. Answered 429. */
public final class OverloadedException extends RaftUnavailableException {

    public OverloadedException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
