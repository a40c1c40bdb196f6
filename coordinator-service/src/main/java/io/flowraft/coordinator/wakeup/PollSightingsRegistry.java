package io.flowraft.coordinator.wakeup;

import io.flowraft.coordinator.replication.ApplyListener;
import io.flowraft.coordinator.replication.PollSightings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * {@link PollSightings} fed by the entries this node applies: each committed poll's stamp, by the types it named.
 * Kept in memory only, never in the replicated state (an empty poll changes nothing there), yet the same on every
 * coordinator that applied the same entries. A restart replays the log after the latest snapshot, so what is
 * lost is the polls before that snapshot: {@link #observedSince()} then starts at the first stamp applied.
 *
 * <p>Holds at most {@value #MAX_TYPES} types: a poll naming a new type beyond that drops the type polled longest ago
 * (polls name validated types, but any number of distinct ones could arrive over time). Updated on the state
 * machine thread; read from any.
 */
public final class PollSightingsRegistry implements PollSightings, ApplyListener {

    static final int MAX_TYPES = 4_096;

    private final Map<String, Long> lastPolled = new ConcurrentHashMap<>();
    private final LongSupplier leaderNow;
    private final BooleanSupplier leads;
    private volatile long observedSince = Long.MAX_VALUE;

    /**
     * @param leaderNow the leader's clock as this node knows it
     * @param leads     whether this node leads now
     */
    public PollSightingsRegistry(LongSupplier leaderNow, BooleanSupplier leads) {
        this.leaderNow = leaderNow;
        this.leads = leads;
    }

    @Override
    public void applied(Applied entry) {
        if (entry.stateReplaced()) {
            // Entries this node never applied are inside the snapshot: polls in them were not seen.
            lastPolled.clear();
            observedSince = Long.MAX_VALUE;
            return;
        }
        if (observedSince == Long.MAX_VALUE && entry.stamp() > 0) {
            observedSince = entry.stamp();
        }
        entry.polled().forEach((type, stamp) -> {
            if (!lastPolled.containsKey(type) && lastPolled.size() >= MAX_TYPES) {
                dropOldest();
            }
            lastPolled.merge(type, stamp, Math::max);
        });
    }

    private void dropOldest() {
        String oldest = null;
        long oldestStamp = Long.MAX_VALUE;
        for (Map.Entry<String, Long> sighting : lastPolled.entrySet()) {
            if (sighting.getValue() < oldestStamp) {
                oldest = sighting.getKey();
                oldestStamp = sighting.getValue();
            }
        }
        if (oldest != null) {
            lastPolled.remove(oldest);
        }
    }

    @Override
    public long lastPolled(String type) {
        return lastPolled.getOrDefault(type, 0L);
    }

    @Override
    public long observedSince() {
        return observedSince;
    }

    @Override
    public long leaderNow() {
        return leaderNow.getAsLong();
    }

    @Override
    public boolean leads() {
        return leads.getAsBoolean();
    }
}
