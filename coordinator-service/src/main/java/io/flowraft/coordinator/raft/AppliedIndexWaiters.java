package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.replication.ApplyListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Waits, without a thread, until this node has applied a given log index: how a follower answers a write it
 * forwarded from its own state, once the leader's entry has reached it. The apply listener does nothing while
 * no waiter is due; otherwise it takes the due waiters in index order. Futures are completed on
 * {@code completions}, never on the state machine thread.
 */
final class AppliedIndexWaiters implements ApplyListener {

    private final LongSupplier appliedIndex;
    private final Executor completions;
    private final NavigableMap<Long, List<CompletableFuture<Boolean>>> waiters = new TreeMap<>();
    /** The lowest index waited for, or {@link Long#MAX_VALUE}: lets the listener skip the lock. */
    private volatile long lowest = Long.MAX_VALUE;

    AppliedIndexWaiters(LongSupplier appliedIndex, Executor completions) {
        this.appliedIndex = appliedIndex;
        this.completions = completions;
    }

    /**
     * Completes with {@code true} once this node has applied {@code index} (at once if it has), or with
     * {@code false} when the timeout passes first.
     */
    CompletableFuture<Boolean> await(long index, Duration timeout) {
        if (appliedIndex.getAsLong() >= index) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        synchronized (this) {
            waiters.computeIfAbsent(index, i -> new ArrayList<>()).add(future);
            lowest = waiters.firstKey();
        }
        future.whenComplete((reached, error) -> forget(index, future));
        // The index may have been applied between the first check and the registration, unseen by the listener.
        if (appliedIndex.getAsLong() >= index) {
            future.complete(true);
        }
        return future.completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void forget(long index, CompletableFuture<Boolean> future) {
        List<CompletableFuture<Boolean>> atIndex = waiters.get(index);
        if (atIndex != null && atIndex.remove(future) && atIndex.isEmpty()) {
            waiters.remove(index);
            lowest = waiters.isEmpty() ? Long.MAX_VALUE : waiters.firstKey();
        }
    }

    @Override
    public void applied(Applied entry) {
        if (entry.index() < lowest) {
            return;
        }
        List<CompletableFuture<Boolean>> due = new ArrayList<>();
        synchronized (this) {
            NavigableMap<Long, List<CompletableFuture<Boolean>>> reached = waiters.headMap(entry.index(), true);
            reached.values().forEach(due::addAll);
            reached.clear();
            lowest = waiters.isEmpty() ? Long.MAX_VALUE : waiters.firstKey();
        }
        if (!due.isEmpty()) { // another thread may have taken them since lowest was read
            completions.execute(() -> due.forEach(f -> f.complete(true)));
        }
    }

    synchronized int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }
}
