package io.flowraft.coordinator.replication;

import java.time.Duration;

/** A snapshot asked for could not be taken now: the node is not running, or saving failed. Answered 503. */
public final class SnapshotFailedException extends RaftUnavailableException {

    public SnapshotFailedException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
