package io.flowraft.coordinator.raft;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Long-poll wake-ups on this node. A waiter is woken when an applied entry makes a task of one of its types
 * READY, when a lease holding a concurrency slot ends, when a snapshot replaces the state, or when a retry
 * backoff ends (checked by {@link #tick}). Waiters
 * hold no thread: each is a future that times out by itself.
 */
final class TaskArrivalsRegistry implements TaskArrivals, ApplyListener {

    private record Waiter(Set<String> types, CompletableFuture<Void> future) {
    }

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final EngineStateMachine fsm;
    private final Clock clock;

    TaskArrivalsRegistry(EngineStateMachine fsm, Clock clock) {
        this.fsm = fsm;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Void> await(Collection<String> taskTypes, Duration timeout) {
        Waiter waiter = new Waiter(Set.copyOf(taskTypes), new CompletableFuture<>());
        waiters.add(waiter);
        waiter.future().whenComplete((v, e) -> waiters.remove(waiter));
        return waiter.future().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void applied(long index, Set<String> readiedTypes, boolean anyMayBeLeasable) {
        if (waiters.isEmpty() || (readiedTypes.isEmpty() && !anyMayBeLeasable)) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (anyMayBeLeasable || waiter.types().stream().anyMatch(readiedTypes::contains)) {
                waiter.future().complete(null);
            }
        }
    }

    /** Wakes every waiter once a retry backoff has ended: its re-proposed lease moves the task to the queue. */
    void tick() {
        if (!waiters.isEmpty() && fsm.read(s -> s.nextBackoffEnd()) <= clock.millis()) {
            waiters.forEach(w -> w.future().complete(null));
        }
    }

    int waiting() {
        return waiters.size();
    }
}
