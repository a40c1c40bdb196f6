package io.flowraft.bench.peer;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * One run of the peer baseline: FlowRaft's chain workload (workflows of ten sequential no-op steps, a closed loop
 * at the FlowRaft run's in-flight depth) on db-scheduler, a PostgreSQL-backed job queue, with its workers in this
 * JVM. It is the obvious alternative to a replicated engine (one database, no consensus of its own), so its
 * tasks/s is the figure FlowRaft's is judged against. Each run starts on a freshly created table and drops it
 * at its end.
 */
public final class DbSchedulerPeer {

    /** db-scheduler's coordinates, for the version the report names. */
    private static final String POM_PROPERTIES = "/META-INF/maven/com.github.kagkarlsson/db-scheduler/pom.properties";

    private final PeerSettings settings;

    public DbSchedulerPeer(PeerSettings settings) {
        this.settings = settings;
    }

    /** A fresh table, the warm-up, the measured loop, then the table dropped, whatever happened. */
    public PeerRun run() throws SQLException {
        try (HikariDataSource dataSource = dataSource(settings.connections())) {
            PeerSchema schema = new PeerSchema(dataSource, settings.schema());
            schema.create();
            try {
                return measure(dataSource, schema);
            } finally {
                schema.drop();
            }
        }
    }

    /**
     * What the peer runs on, e.g. {@code PostgreSQL 15.20 (synchronous_commit on, fsync on)}; asked first, so a
     * PostgreSQL that does not answer fails the peer with what to do rather than a pool's stack trace.
     */
    public String server() {
        try (HikariDataSource dataSource = dataSource(1)) {
            return new PeerSchema(dataSource, settings.schema()).serverDescription();
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("The peer's PostgreSQL at " + settings.jdbcUrlShown() + " does not answer ("
                    + e.getMessage() + "). Start it (e.g. pg_ctlcluster --skip-systemctl-redirect <version> main "
                    + "start) or point --peer-jdbc-url at one.", e);
        }
    }

    /** {@code db-scheduler 16.7.1}, read from the library's own jar. */
    public static String library() {
        Properties pom = new Properties();
        try (InputStream in = Scheduler.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                pom.load(in);
            }
        } catch (IOException e) {
            // Unknown then: the name alone is still true.
        }
        return "db-scheduler " + pom.getProperty("version", "(version unknown)");
    }

    private PeerRun measure(DataSource dataSource, PeerSchema schema) throws SQLException {
        int warmup = settings.warmup();
        int total = warmup + settings.workflows();
        StepLedger ledger = new StepLedger(total);
        Scheduler scheduler = scheduler(dataSource, ledger);
        scheduler.start();
        ClosedLoop.Outcome outcome;
        CpuClock.Usage cpu;
        try {
            ClosedLoop loop = new ClosedLoop(scheduler, ledger);
            if (warmup > 0) {
                loop.run(0, warmup, settings.clients());
            }
            CpuClock clock = new CpuClock();
            outcome = loop.run(warmup, total, settings.clients());
            cpu = clock.stop();
        } finally {
            scheduler.stop();
        }
        double workflowsPerSecond = outcome.completed() / outcome.seconds();
        return new PeerRun(outcome.workflows(), outcome.completed(), outcome.unfinished(),
                ledger.executions(warmup, total), ledger.notExactlyOnce(), schema.rows(), outcome.seconds(),
                workflowsPerSecond, workflowsPerSecond * ChainStep.STEPS, Percentiles.of(outcome.latencyMicros()),
                cpu.jvmSeconds(), cpu.postgresSeconds());
    }

    /**
     * db-scheduler set up not to be slow for want of asking: immediate execution (a step scheduled in this JVM
     * wakes the poller at once), a short polling interval behind it, and the strategy chosen.
     */
    private Scheduler scheduler(DataSource dataSource, StepLedger ledger) {
        SchedulerBuilder builder = Scheduler.create(dataSource, ChainTask.create(ledger, settings.chaining()))
                .tableName(settings.table())
                .schedulerName(new SchedulerName.Fixed("flowraft-peer"))
                .threads(settings.threads())
                .pollingInterval(settings.pollInterval())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(10));
        // The library's own default fractions of the thread count for each strategy.
        builder = switch (settings.polling()) {
            case LOCK_AND_FETCH -> builder.pollUsingLockAndFetch(0.5, 1.0);
            case FETCH -> builder.pollUsingFetchAndLockOnExecute(0.5, 3.0);
        };
        return builder.build();
    }

    /** A fixed-size pool (HikariCP's advice for steady load), auto-commit on as db-scheduler expects. */
    private HikariDataSource dataSource(int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("flowraft-peer");
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }
}
