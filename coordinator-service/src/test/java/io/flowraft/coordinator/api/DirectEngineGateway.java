package io.flowraft.coordinator.api;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.Commands;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.replication.ApplyListener;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.PollSightings;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import io.flowraft.coordinator.replication.TaskArrivals;
import io.flowraft.coordinator.replication.WorkflowEnds;
import io.flowraft.coordinator.wakeup.PollSightingsRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Raft-facing interfaces over one real {@link Engine}, applied synchronously under a lock: a single-node
 * "cluster" that commits at once, for testing the REST layer over HTTP without SOFAJRaft. Commands are stamped
 * with a clock the test controls, as the leader would stamp its own. Failures of the Raft layer (no leader,
 * overload, outcome unknown) are injected on demand.
 *
 * <p>{@link TaskArrivals} wakes waiters on <em>events</em> (a task of their type became READY, or a lease
 * ended and may have freed a concurrency slot), never merely because leasable tasks exist: a task held back
 * by a concurrency limit would otherwise wake every poll after every command, and empty proposals would wake
 * each other for ever.
 */
public final class DirectEngineGateway implements CommandGateway, StateReader, TaskArrivals, WorkflowEnds, ClusterAdmin,
        PollSightings {

    public static final long START_MILLIS = 1_750_000_000_000L;
    public static final String NODE = "127.0.0.1:8101";

    private final Object lock = new Object();
    private final AtomicLong clock = new AtomicLong(START_MILLIS);
    private final Queue<RuntimeException> submitFailures = new ConcurrentLinkedQueue<>();
    private final Queue<RuntimeException> readFailures = new ConcurrentLinkedQueue<>();
    private final Queue<RuntimeException> leaseFailures = new ConcurrentLinkedQueue<>();
    private final Queue<RuntimeException> snapshotFailures = new ConcurrentLinkedQueue<>();
    private final Queue<RuntimeException> membershipFailures = new ConcurrentLinkedQueue<>();
    private final List<String> peers = new CopyOnWriteArrayList<>();
    private final AtomicInteger leaseProposals = new AtomicInteger();
    private final List<Waiter> waiters = new ArrayList<>();
    private final Map<String, List<CompletableFuture<Void>>> endWaiters = new HashMap<>();
    private Engine engine;
    private long index;
    /** Fed as the state machine feeds a node's: by the stamps and polls applied. */
    private volatile PollSightingsRegistry sightings;

    public DirectEngineGateway() {
        reset();
    }

    /** A fresh engine, clock, membership and fault plan; wakes and drops every waiter. */
    public void reset() {
        List<Waiter> dropped;
        synchronized (lock) {
            engine = new Engine();
            index = 0;
            sightings = new PollSightingsRegistry(clock::get, () -> true);
            dropped = new ArrayList<>(waiters);
            waiters.clear();
            endWaiters.values().forEach(ends -> ends.forEach(f -> dropped.add(new Waiter(Set.of(), f))));
            endWaiters.clear();
        }
        dropped.forEach(w -> w.future().complete(null));
        clock.set(START_MILLIS);
        submitFailures.clear();
        readFailures.clear();
        leaseFailures.clear();
        snapshotFailures.clear();
        membershipFailures.clear();
        peers.clear();
        peers.addAll(List.of(NODE, "127.0.0.1:8102", "127.0.0.1:8103"));
        leaseProposals.set(0);
    }

    /** The only node of its "cluster": it always leads. */
    @Override
    public boolean leads() {
        return true;
    }

    public void advance(Duration duration) {
        clock.addAndGet(duration.toMillis());
    }

    public long now() {
        return clock.get();
    }

    /** The next submit fails with {@code failure} and proposes nothing. */
    public void failNextSubmit(RuntimeException failure) {
        submitFailures.add(failure);
    }

    /** The next {@link LeaseTasks} proposal fails with {@code failure}; other commands go through. */
    public void failNextLease(RuntimeException failure) {
        leaseFailures.add(failure);
    }

    /** The next snapshot fails with {@code failure}. */
    public void failNextSnapshot(RuntimeException failure) {
        snapshotFailures.add(failure);
    }

    /** The next membership change or leadership transfer fails with {@code failure} and changes nothing. */
    public void failNextMembershipChange(RuntimeException failure) {
        membershipFailures.add(failure);
    }

    /** The next read fails with {@code failure}. */
    public void failNextRead(RuntimeException failure) {
        readFailures.add(failure);
    }

    /** How many {@link LeaseTasks} were proposed since the last reset. */
    public int leaseProposals() {
        return leaseProposals.get();
    }

    /** How many requests are waiting for a workflow's end right now. */
    public int waitingForEnds() {
        synchronized (lock) {
            return endWaiters.values().stream().mapToInt(List::size).sum();
        }
    }

    /** How many long polls are waiting for tasks right now. */
    public int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    @Override
    public CompletableFuture<Committed> commit(Command command) {
        RuntimeException failure = submitFailures.poll();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (command instanceof LeaseTasks) {
            leaseProposals.incrementAndGet();
            RuntimeException leaseFailure = leaseFailures.poll();
            if (leaseFailure != null) {
                return CompletableFuture.failedFuture(leaseFailure);
            }
        }
        Committed committed;
        List<CompletableFuture<Void>> woken;
        synchronized (lock) {
            Command stamped = Commands.stamp(command, clock.get());
            Engine.Applied applied = engine.applyWithEvents(++index, stamped);
            committed = new Committed(applied.result(), index);
            Map<String, Long> polled = new TreeMap<>();
            if (stamped instanceof LeaseTasks poll && !(applied.result() instanceof CommandResult.Rejection)) {
                poll.taskTypes().forEach(type -> polled.put(type, poll.now()));
            }
            sightings.applied(new ApplyListener.Applied(index, Map.of(), false, Set.of(), false, stamped.now(), polled));
            woken = interestedIn(applied.events());
        }
        woken.forEach(f -> f.complete(null));
        return CompletableFuture.completedFuture(committed);
    }

    @Override
    public long leaderNow() {
        return clock.get();
    }

    @Override
    public long lastPolled(String type) {
        return sightings.lastPolled(type);
    }

    @Override
    public long observedSince() {
        return sightings.observedSince();
    }

    @Override
    public <T> T local(Function<EngineReadState, T> query) {
        synchronized (lock) {
            return query.apply(engine.state());
        }
    }

    @Override
    public <T> CompletableFuture<T> read(ReadConsistency consistency, Function<EngineReadState, T> query) {
        RuntimeException failure = readFailures.poll();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        synchronized (lock) {
            try {
                return CompletableFuture.completedFuture(query.apply(engine.state()));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** Every command is applied when its commit answers, so a read-back is an ordinary read here. */
    @Override
    public <T> CompletableFuture<T> readAfter(long index, Function<EngineReadState, T> query) {
        return read(ReadConsistency.STALE, query);
    }

    @Override
    public CompletableFuture<Void> await(Collection<String> taskTypes, int wanted, Duration timeout) {
        Waiter waiter = new Waiter(Set.copyOf(taskTypes), new CompletableFuture<>());
        synchronized (lock) {
            waiters.add(waiter);
        }
        waiter.future().whenComplete((ignored, cancelled) -> {
            synchronized (lock) {
                waiters.remove(waiter);
            }
        });
        waiter.future().completeOnTimeout(null, Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        return waiter.future();
    }

    @Override
    public CompletableFuture<Void> awaitAnyEnd(Collection<String> workflowIds, Duration timeout) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        List<String> ids = List.copyOf(workflowIds);
        synchronized (lock) {
            ids.forEach(id -> endWaiters.computeIfAbsent(id, key -> new ArrayList<>()).add(future));
        }
        future.whenComplete((ignored, cancelled) -> {
            synchronized (lock) {
                for (String workflowId : ids) {
                    List<CompletableFuture<Void>> ends = endWaiters.get(workflowId);
                    if (ends != null && ends.remove(future) && ends.isEmpty()) {
                        endWaiters.remove(workflowId);
                    }
                }
            }
        });
        return future.completeOnTimeout(null, Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Called under the lock: the waiters (long polls and waits for an end) the events of one command concern. */
    private List<CompletableFuture<Void>> interestedIn(List<Event> events) {
        List<CompletableFuture<Void>> woken = new ArrayList<>();
        for (Event event : events) {
            if (event instanceof Event.WorkflowCompleted || event instanceof Event.WorkflowFailed
                    || event instanceof Event.WorkflowCancelled) {
                woken.addAll(endWaiters.getOrDefault(event.workflowId(), List.of()));
            }
            String type = switch (event) {
                case Event.TaskReadied r -> engine.state().workflow(r.workflowId()).task(r.taskId()).spec().type();
                case Event.TaskCompleted c -> "*";
                case Event.TaskFailed f -> "*";
                case Event.TaskRetryScheduled r -> "*";
                case Event.LeaseExpired e -> "*";
                case Event.TaskCancelled c -> "*";
                default -> null;
            };
            if (type != null) {
                for (Waiter waiter : waiters) {
                    if ((type.equals("*") || waiter.types().contains(type)) && !woken.contains(waiter.future())) {
                        woken.add(waiter.future());
                    }
                }
            }
        }
        return woken;
    }

    @Override
    public ClusterStatus status() {
        synchronized (lock) {
            return new ClusterStatus(NODE, NODE, 1, List.copyOf(peers), index, index, engine.digest());
        }
    }

    @Override
    public CompletableFuture<Void> addPeer(String peer) {
        return membershipChange(() -> {
            if (!peers.contains(peer)) {
                peers.add(peer);
            }
        });
    }

    @Override
    public CompletableFuture<Void> removePeer(String peer) {
        return membershipChange(() -> peers.remove(peer));
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String peer) {
        return membershipChange(() -> { });
    }

    private CompletableFuture<Void> membershipChange(Runnable change) {
        RuntimeException failure = membershipFailures.poll();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        change.run();
        return CompletableFuture.completedFuture(null);
    }

    /** A "snapshot" of the engine at the last index: its encoding, as the state machine would save it. */
    @Override
    public CompletableFuture<SnapshotTaken> snapshot() {
        RuntimeException failure = snapshotFailures.poll();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        synchronized (lock) {
            return CompletableFuture.completedFuture(new SnapshotTaken(index, engine.snapshot().length, Duration.ofMillis(3)));
        }
    }

    private record Waiter(Set<String> types, CompletableFuture<Void> future) {
    }
}
