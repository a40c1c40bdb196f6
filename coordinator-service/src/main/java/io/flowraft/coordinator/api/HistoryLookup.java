package io.flowraft.coordinator.api;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.history.HistoryStore;
import io.flowraft.coordinator.history.HistoryStores;
import io.flowraft.coordinator.history.HistoryUnavailableException;
import io.flowraft.coordinator.replication.StateReader;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reads of the past: the cluster's history in PostgreSQL, for workflows that have left the replicated state.
 * Calls block on JDBC, so callers run them on the {@link ApiExecutor}, never on a Raft thread. A coordinator
 * without a database has no history: {@link #read} answers empty. A database that fails is 503
 * {@code history-unavailable} with {@code Retry-After}, never an answer that leaves the past out silently.
 */
@Component
class HistoryLookup {

    private final StateReader state;
    private final ObjectProvider<HistoryStores> stores;

    HistoryLookup(StateReader state, ObjectProvider<HistoryStores> stores) {
        this.state = state;
        this.stores = stores;
    }

    /** Whether this coordinator reads history at all. */
    boolean enabled() {
        return stores.getIfAvailable() != null;
    }

    /** {@code query} over this cluster's history, or empty when there is none (no database, no cluster name yet). */
    <T> Optional<T> read(Function<HistoryStore, T> query) {
        HistoryStores available = stores.getIfAvailable();
        String clusterId = available == null ? null : state.local(s -> s.clusterId());
        if (clusterId == null) {
            return Optional.empty();
        }
        try {
            return available.forCluster(clusterId).map(query);
        } catch (HistoryUnavailableException e) {
            throw new ApiProblemException(ProblemType.HISTORY_UNAVAILABLE, null,
                    "The history database cannot be read now: " + e.getMessage());
        }
    }
}
