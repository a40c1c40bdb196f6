package io.flowraft.coordinator.replication;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Wakes long polls: completes when a task of one of the given types may have become leasable on this node
 * (made READY by an applied command, or its retry backoff ended), or when the timeout passes. Spurious
 * wake-ups are allowed; callers re-propose their lease and wait again if it came back empty.
 *
 * <p>A wake-up may be handed to one waiter rather than to all (so one READY task does not make every waiting
 * poll propose a lease): a caller that registered and then no longer needs the registration, because it got
 * leases or stopped, must {@link #release} it, so that a wake-up it received passes on to another waiter.
 */
public interface TaskArrivals {

    /**
     * @param wanted how many tasks the waiter would lease if woken, so one wake-up is not spent on more waiters
     *     than there are tasks
     */
    CompletableFuture<Void> await(Collection<String> taskTypes, int wanted, Duration timeout);

    /** The registration is no longer wanted; if it was woken and not acted upon, another waiter is woken instead. */
    default void release(CompletableFuture<Void> registration) {
        registration.cancel(false);
    }
}
