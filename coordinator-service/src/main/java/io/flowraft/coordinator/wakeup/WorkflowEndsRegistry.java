package io.flowraft.coordinator.wakeup;

import io.flowraft.coordinator.replication.ApplyListener;
import io.flowraft.coordinator.replication.WorkflowEnds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@link WorkflowEnds} on this node. Waiters are kept by workflow id, so an applied entry costs a map lookup
 * per workflow it finished, whatever the number of waiters; only a snapshot load wakes them all. Waiters hold
 * no thread: each is a future that times out by itself. They are completed on {@code completions}, never on
 * the state machine thread, so no caller's continuation can stall the apply loop.
 */
public final class WorkflowEndsRegistry implements WorkflowEnds, ApplyListener {

    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final Executor completions;

    public WorkflowEndsRegistry(Executor completions) {
        this.completions = completions;
    }

    @Override
    public CompletableFuture<Void> awaitAnyEnd(Collection<String> workflowIds, Duration timeout) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        List<String> ids = List.copyOf(workflowIds);
        for (String workflowId : ids) {
            // Added inside compute, so an end being applied right now either finds this waiter or comes after it.
            waiters.compute(workflowId, (id, set) -> {
                Set<CompletableFuture<Void>> current = set == null ? ConcurrentHashMap.newKeySet() : set;
                current.add(future);
                return current;
            });
        }
        future.whenComplete((ignored, cancelled) -> ids.forEach(id -> forget(id, future)));
        return future.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops a waiter that ended (woken, timed out or cancelled); drops the workflow's entry once none waits. */
    private void forget(String workflowId, CompletableFuture<Void> future) {
        waiters.computeIfPresent(workflowId, (id, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void applied(Applied entry) {
        if (waiters.isEmpty() || (entry.endedWorkflows().isEmpty() && !entry.stateReplaced())) {
            return;
        }
        List<CompletableFuture<Void>> woken = new ArrayList<>();
        if (entry.stateReplaced()) {
            waiters.keySet().forEach(id -> take(id, woken));
        } else {
            entry.endedWorkflows().forEach(id -> take(id, woken));
        }
        if (!woken.isEmpty()) {
            completions.execute(() -> woken.forEach(f -> f.complete(null)));
        }
    }

    private void take(String workflowId, List<CompletableFuture<Void>> into) {
        Set<CompletableFuture<Void>> set = waiters.remove(workflowId);
        if (set != null) {
            into.addAll(set);
        }
    }

    /** Requests waiting for a workflow's end on this node. */
    public int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }
}
