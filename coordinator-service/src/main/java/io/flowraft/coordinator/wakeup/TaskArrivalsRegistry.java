package io.flowraft.coordinator.wakeup;

import io.flowraft.coordinator.replication.ApplyListener;
import io.flowraft.coordinator.replication.StateReader;
import io.flowraft.coordinator.replication.TaskArrivals;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Long-poll wake-ups on this node. An applied entry that makes n tasks of a type READY wakes waiters for that
 * type, oldest first, until they want n tasks between them: not every waiting poll, which would each propose a
 * lease through Raft for one task (a thundering herd that costs a log entry per idle worker per task). A
 * waiter woken but then released unused (its poll got leases from a proposal already in flight, or stopped)
 * passes its wake-up on to the next waiter of its types, so a READY task is never left with every poll asleep.
 * Every waiter is woken when a lease holding a concurrency slot ends, when a snapshot replaces the state, or
 * when a retry backoff ends (checked by {@link #tick}): rare, and what may have become leasable is unknown.
 * A rate-limited type whose dispatch tokens ran out wakes the waiters of that type once its bucket holds a token
 * again by the leader's time (also checked by {@link #tick}); the engine decides, with the stamp of the lease the
 * woken polls propose, whether the tokens are really there.
 * Waiters hold no thread: each is a future that times out by itself.
 */
public final class TaskArrivalsRegistry implements TaskArrivals, ApplyListener {

    /** A registration: the future the poll waits on, knowing whether an arrival (not the timeout) completed it. */
    private static final class Waiter extends CompletableFuture<Void> {
        final Set<String> types;
        final int wanted;
        final AtomicBoolean woken = new AtomicBoolean();

        Waiter(Set<String> types, int wanted) {
            this.types = types;
            this.wanted = Math.max(wanted, 1);
        }

        /** False if it was done already (timed out, released, woken): the wake-up must go to someone else. */
        boolean wake() {
            woken.set(true);
            if (complete(null)) {
                return true;
            }
            woken.set(false);
            return false;
        }
    }

    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final StateReader state;
    private final LongSupplier leaderTime;
    private final AtomicLong backoffWakeups = new AtomicLong();
    /** The refill time each starved type last woke waiters for: each refill wakes them once, not on every tick. */
    private final Map<String, Long> refillsWoken = new HashMap<>();

    /**
     * @param leaderTime the leader's clock as this node best knows it, in epoch milliseconds: backoff ends are
     *     stamped by the leader, and a follower whose own clock runs ahead would otherwise wake every waiting poll
     *     on every tick (each then proposing an empty lease) long before any backoff ends
     */
    public TaskArrivalsRegistry(StateReader state, LongSupplier leaderTime) {
        this.state = state;
        this.leaderTime = leaderTime;
    }

    @Override
    public CompletableFuture<Void> await(Collection<String> taskTypes, int wanted, Duration timeout) {
        Waiter waiter = new Waiter(Set.copyOf(taskTypes), wanted);
        // Done waiters are dropped lazily (by the next wake-up or tick): removing each from the queue when it
        // completes costs a scan of the queue, and a wake-up completes waiters on the apply thread.
        waiters.add(waiter);
        waiter.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return waiter;
    }

    @Override
    public void release(CompletableFuture<Void> registration) {
        registration.cancel(false);
        if (registration instanceof Waiter waiter && waiter.woken.get()) {
            wake(Map.of(), waiter.types);
        }
    }

    @Override
    public void applied(Applied entry) {
        if (waiters.isEmpty()) {
            return;
        }
        if (entry.anyMayBeLeasable()) {
            wakeAll();
        } else if (!entry.readied().isEmpty()) {
            wake(entry.readied(), Set.of());
        }
    }

    /**
     * Wakes waiters oldest first until they want as many tasks as {@code readied} holds per type, or, with
     * {@code passOn} types, the first waiter of any of them.
     */
    private void wake(Map<String, Integer> readied, Set<String> passOn) {
        Map<String, Integer> left = new HashMap<>(readied);
        boolean passing = !passOn.isEmpty();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.isDone()) {
                it.remove();
                continue;
            }
            if (passing) {
                if (waiter.types.stream().anyMatch(passOn::contains) && waiter.wake()) {
                    return;
                }
                continue;
            }
            if (left.isEmpty()) {
                return;
            }
            if (waiter.types.stream().noneMatch(left::containsKey) || !waiter.wake()) {
                continue;
            }
            int take = waiter.wanted;
            for (String type : waiter.types) {
                Integer count = left.get(type);
                if (count == null || take == 0) {
                    continue;
                }
                int used = Math.min(count, take);
                take -= used;
                if (count == used) {
                    left.remove(type);
                } else {
                    left.put(type, count - used);
                }
            }
        }
    }

    private void wakeAll() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            it.next().wake();
            it.remove(); // done now, woken or not
        }
    }

    /** Wakes every waiter once a retry backoff has ended: its re-proposed lease moves the task to the queue. */
    public void tick() {
        if (!waiters.isEmpty() && state.local(s -> s.nextBackoffEnd()) <= leaderTime.getAsLong()) {
            backoffWakeups.incrementAndGet();
            wakeAll();
        }
        wakeRefilledTypes();
        waiters.removeIf(CompletableFuture::isDone);
    }

    /**
     * Wakes waiters of each rate-limited type whose bucket holds a token again (by the leader's time) while READY
     * tasks of the type wait, for as many tasks as it has whole tokens. Only the ticker thread calls this.
     */
    private void wakeRefilledTypes() {
        if (waiters.isEmpty() && refillsWoken.isEmpty()) {
            return;
        }
        long now = leaderTime.getAsLong();
        Map<String, long[]> due = state.local(s -> {
            Map<String, long[]> refilled = new HashMap<>();
            for (Map.Entry<String, Long> starved : s.tokensBackAt().entrySet()) {
                if (starved.getValue() <= now && s.hasLeasable(starved.getKey())) {
                    long tokens = s.taskType(starved.getKey()).leasesAllowedAt(now);
                    refilled.put(starved.getKey(), new long[] {starved.getValue(), tokens});
                }
            }
            return refilled;
        });
        refillsWoken.keySet().retainAll(due.keySet());
        Map<String, Integer> wake = new HashMap<>();
        for (Map.Entry<String, long[]> type : due.entrySet()) {
            Long woken = refillsWoken.put(type.getKey(), type.getValue()[0]);
            if (woken == null || woken != type.getValue()[0]) {
                wake.put(type.getKey(), (int) Math.clamp(type.getValue()[1], 1, 100_000));
            }
        }
        if (!wake.isEmpty()) {
            wake(wake, Set.of());
        }
    }

    /** How many ticks woke every waiter because a backoff had ended. */
    public long backoffWakeups() {
        return backoffWakeups.get();
    }

    public int waiting() {
        return (int) waiters.stream().filter(waiter -> !waiter.isDone()).count();
    }
}
