package io.flowraft.worker.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Free run slots: one pool for the whole worker and one per task type. A poll first reserves slots, asks for
 * at most that many leases, then keeps one slot per lease granted and gives back the rest, so the worker
 * never holds a lease it has no slot to run.
 *
 * <p>A poll may name several types and the coordinator may answer with any mix of them, so a reservation of
 * {@code k} takes {@code k} slots from the global pool <em>and</em> from each type it names.
 */
final class Capacity {

    /** Slots held for one poll: {@code count} of the global pool and of each of {@code types}. */
    record Reservation(List<String> types, int count) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final int globalLimit;
    private int globalFree;
    private final Map<String, Integer> typeFree = new HashMap<>();

    Capacity(int globalLimit, Map<String, Integer> typeLimits) {
        this.globalLimit = globalLimit;
        this.globalFree = globalLimit;
        this.typeFree.putAll(typeLimits);
    }

    /**
     * Waits until a slot is free for at least one of {@code types}, then reserves as many as can be run.
     *
     * @return the reservation, or {@code null} if {@code keepWaiting} turned false (checked on every wake-up and
     *     at least every 100 ms)
     */
    Reservation reserve(List<String> types, java.util.function.BooleanSupplier keepWaiting) throws InterruptedException {
        lock.lock();
        try {
            while (keepWaiting.getAsBoolean()) {
                List<String> open = types.stream().filter(t -> typeFree.get(t) > 0).toList();
                if (globalFree > 0 && !open.isEmpty()) {
                    int count = globalFree;
                    for (String type : open) {
                        count = Math.min(count, typeFree.get(type));
                    }
                    globalFree -= count;
                    for (String type : open) {
                        typeFree.merge(type, -count, Integer::sum);
                    }
                    return new Reservation(open, count);
                }
                released.await(100, TimeUnit.MILLISECONDS);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back the slots of tasks that finished ({@code freedTypes}, one type per task) and at once reserves up to
     * as many for the next leases of {@code types}, so that a report exchange can ask for its successors before a
     * waiting poll takes the slots. What it cannot reserve (a type at its own limit) stays free for the polls.
     *
     * @return the reservation, or {@code null} if none of {@code types} has a free slot
     */
    Reservation handOver(List<String> freedTypes, List<String> types) {
        lock.lock();
        try {
            globalFree += freedTypes.size();
            for (String type : freedTypes) {
                typeFree.merge(type, 1, Integer::sum);
            }
            List<String> open = types.stream().filter(t -> typeFree.get(t) > 0).toList();
            int count = Math.min(freedTypes.size(), globalFree);
            for (String type : open) {
                count = Math.min(count, typeFree.get(type));
            }
            if (open.isEmpty() || count <= 0) {
                released.signalAll();
                return null;
            }
            globalFree -= count;
            for (String type : open) {
                typeFree.merge(type, -count, Integer::sum);
            }
            if (count < freedTypes.size()) {
                released.signalAll();
            }
            return new Reservation(open, count);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Turns a reservation into the slots actually used: one of the global pool and one of its own type per lease
     * in {@code usedByType}; everything else goes back. Types outside the reservation are not counted.
     */
    void settle(Reservation reservation, Map<String, Integer> usedByType) {
        lock.lock();
        try {
            int used = 0;
            for (String type : reservation.types()) {
                int usedOfType = usedByType.getOrDefault(type, 0);
                used += usedOfType;
                typeFree.merge(type, reservation.count() - usedOfType, Integer::sum);
            }
            globalFree += reservation.count() - used;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the slot of one finished task. */
    void release(String type) {
        lock.lock();
        try {
            globalFree++;
            typeFree.merge(type, 1, Integer::sum);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting {@link #reserve} so it re-reads its {@code keepWaiting}. */
    void wakeAll() {
        lock.lock();
        try {
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int inUse() {
        lock.lock();
        try {
            return globalLimit - globalFree;
        } finally {
            lock.unlock();
        }
    }
}
