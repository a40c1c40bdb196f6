package io.flowraft.coordinator.history;

import java.util.Optional;

/** Where a cluster's history goes: a schema of PostgreSQL when this coordinator has one, nowhere otherwise. */
@FunctionalInterface
public interface HistoryStores {

    /**
     * The store of the named cluster's history, opened (and migrated) on first use; empty when this coordinator
     * runs without a database.
     *
     * @throws HistoryUnavailableException when PostgreSQL is configured but cannot be reached now
     */
    Optional<HistoryStore> forCluster(String clusterId);

    /** History off: the past of evicted workflows is gone. */
    static HistoryStores none() {
        return clusterId -> Optional.empty();
    }
}
