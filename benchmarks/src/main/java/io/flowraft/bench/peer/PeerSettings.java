package io.flowraft.bench.peer;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How one peer run is set up. The load half ({@code workflows}, {@code warmup}, {@code clients}) is copied from the
 * FlowRaft run it is compared with, so both are measured at the same in-flight depth.
 *
 * @param jdbcUrl the PostgreSQL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
 * @param user a login if the URL does not carry one ({@code null}: none)
 * @param password its password ({@code null}: none)
 * @param schema a schema of the peer's own, dropped and created at the start of each run and dropped at its end,
 *     so no run sees another's rows and none are left behind
 * @param workflows workflows measured
 * @param warmup workflows run first, not measured
 * @param clients workflows in flight (closed loop: each finished workflow starts the next)
 * @param threads db-scheduler's executor threads (its workers)
 * @param connections the HikariCP pool's size, shared by the scheduler and the clients
 * @param pollInterval db-scheduler's polling interval (immediate execution is on as well)
 * @param polling how db-scheduler claims due executions
 * @param chaining how a step schedules the next one
 */
public record PeerSettings(String jdbcUrl, String user, String password, String schema, int workflows, int warmup,
        int clients, int threads, int connections, Duration pollInterval, Polling polling, Chaining chaining) {

    public static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String DEFAULT_SCHEMA = "flowraft_peer";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(10);
    /**
     * Connections shared by the worker threads, the clients and db-scheduler's housekeeping. A step holds one only
     * while it writes, and PostgreSQL on a small machine runs no faster with more backends competing for its cores:
     * 8, 16 and 48 measured the same within the noise at 64 workflows in flight on two cores.
     */
    public static final int DEFAULT_CONNECTIONS = 16;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** db-scheduler's two polling strategies. */
    public enum Polling {
        /** {@code UPDATE ... SELECT ... FOR UPDATE SKIP LOCKED}: claims a batch in one statement. */
        LOCK_AND_FETCH,
        /** Its default: selects due rows, then claims each with an optimistic-locking update before it runs. */
        FETCH
    }

    /** How a finished step makes its successor due. */
    public enum Chaining {
        /**
         * The step's {@code CompletionHandler} replaces its own row with the next step
         * ({@code ExecutionOperations.removeAndScheduleNew}): one {@code UPDATE}, so the step's completion and
         * its successor commit together or not at all.
         */
        REPLACE,
        /**
         * The handler schedules the next step through the {@code SchedulerClient} (an {@code INSERT} of its own),
         * then the completion deletes the finished row: two transactions per step.
         */
        CLIENT
    }

    public PeerSettings {
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a plain lower-case identifier: " + schema);
        }
        if (workflows < 1 || warmup < 0 || clients < 1 || threads < 1 || connections < 1) {
            throw new IllegalArgumentException("workflows, clients, threads and connections must be positive, "
                    + "warmup not negative");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
    }

    /**
     * The defaults: lock-and-fetch polling every 10 ms and chaining by replacement (each the faster of the two on
     * PostgreSQL, measured), and {@link #DEFAULT_CONNECTIONS} pooled connections.
     */
    public static PeerSettings chain(String jdbcUrl, int workflows, int warmup, int clients, int threads) {
        return new PeerSettings(jdbcUrl, null, null, DEFAULT_SCHEMA, workflows, warmup, clients, threads,
                DEFAULT_CONNECTIONS, DEFAULT_POLL_INTERVAL, Polling.LOCK_AND_FETCH, Chaining.REPLACE);
    }

    public PeerSettings withLogin(String user, String password) {
        return new PeerSettings(jdbcUrl, user, password, schema, workflows, warmup, clients, threads, connections,
                pollInterval, polling, chaining);
    }

    public PeerSettings withSchema(String schema) {
        return new PeerSettings(jdbcUrl, user, password, schema, workflows, warmup, clients, threads, connections,
                pollInterval, polling, chaining);
    }

    public PeerSettings withConnections(int connections) {
        return new PeerSettings(jdbcUrl, user, password, schema, workflows, warmup, clients, threads, connections,
                pollInterval, polling, chaining);
    }

    public PeerSettings withPollInterval(Duration pollInterval) {
        return new PeerSettings(jdbcUrl, user, password, schema, workflows, warmup, clients, threads, connections,
                pollInterval, polling, chaining);
    }

    public PeerSettings withPolling(Polling polling) {
        return new PeerSettings(jdbcUrl, user, password, schema, workflows, warmup, clients, threads, connections,
                pollInterval, polling, chaining);
    }

    public PeerSettings withChaining(Chaining chaining) {
        return new PeerSettings(jdbcUrl, user, password, schema, workflows, warmup, clients, threads, connections,
                pollInterval, polling, chaining);
    }

    /** The table db-scheduler is told to use, in the peer's own schema. */
    String table() {
        return schema + "." + PeerSchema.TABLE;
    }

    /** The URL without its query, where a password may be: what the report may print. */
    String jdbcUrlShown() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
