package io.flowraft.coordinator.raft;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Wakes long polls: completes when a task of one of the given types may have become leasable on this node
 * (made READY by an applied command, or its retry backoff ended), or when the timeout passes. Spurious
 * wake-ups are allowed; callers re-propose their lease and wait again if it came back empty.
 */
public interface TaskArrivals {

    CompletableFuture<Void> await(Collection<String> taskTypes, Duration timeout);
}
