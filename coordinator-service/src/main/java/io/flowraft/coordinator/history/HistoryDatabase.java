package io.flowraft.coordinator.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL that holds history, and one {@link HistoryStore} per cluster in it, each in a schema of its own.
 *
 * <p>Nothing here connects at construction: a coordinator starts, and runs, while PostgreSQL is down. The cluster
 * id is replicated state, known only once the cluster has formed, so stores are opened on demand by
 * {@link #open}, which migrates the cluster's schema the first time and may be called again after a failure.
 */
public final class HistoryDatabase implements HistoryStores, AutoCloseable {

    /** PostgreSQL's limit on identifiers. */
    static final int MAX_SCHEMA_LENGTH = 63;
    private static final String SCHEMA_PREFIX = "flowraft_";

    private final HikariDataSource dataSource;
    private final HistoryProperties properties;
    private final Map<String, HistoryStore> stores = new ConcurrentHashMap<>();

    public HistoryDatabase(HistoryProperties properties) {
        if (!properties.enabled()) {
            throw new IllegalArgumentException("flowraft.history.jdbc-url is empty: history is off");
        }
        this.properties = properties;
        this.dataSource = new HikariDataSource(HistoryPool.config(properties));
    }

    /** The schema that holds {@code clusterId}'s history: {@code flowraft_} and the id in [a-z0-9_], 63 characters at most. */
    public static String schemaFor(String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("A cluster id is needed to name its history schema");
        }
        String sanitized = clusterId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String schema = SCHEMA_PREFIX + sanitized;
        return schema.length() > MAX_SCHEMA_LENGTH ? schema.substring(0, MAX_SCHEMA_LENGTH) : schema;
    }

    /**
     * The history of {@code clusterId}, its schema created and migrated on first use and the store kept for later
     * calls.
     *
     * @throws HistoryUnavailableException if PostgreSQL cannot be reached or the migration fails; nothing is kept,
     *                                     and a later call tries again
     */
    public HistoryStore open(String clusterId) {
        String schema = schemaFor(clusterId);
        HistoryStore open = stores.get(schema);
        if (open != null) {
            return open;
        }
        // One migration per schema in this JVM at a time; a failure leaves no mapping, so the next call retries.
        return stores.computeIfAbsent(schema, this::migrateAndOpen);
    }

    private HistoryStore migrateAndOpen(String schema) {
        try {
            // Coordinators of one cluster open its schema at about the same moment, from different JVMs. Flyway
            // copes: it takes a lock for migrations and retries a CREATE SCHEMA that lost a race (see the test of
            // simultaneous opens). It holds two connections meanwhile, hence a pool of two at least.
            Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(schema)
                    .createSchemas(true)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new HistoryUnavailableException("Opening history schema " + schema + " at " + properties.jdbcUrl()
                    + " failed: " + e.getMessage(), e);
        }
        return new JdbcHistoryStore(dataSource, schema, properties);
    }

    /** The store of {@code clusterId}: this coordinator has a database, so never empty; see {@link #open}. */
    @Override
    public Optional<HistoryStore> forCluster(String clusterId) {
        return Optional.of(open(clusterId));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
