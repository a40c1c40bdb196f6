package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Soak;
import io.flowraft.bench.cluster.BenchReport.SoakComparison;
import io.flowraft.bench.cluster.BenchReport.SoakSample;
import io.flowraft.cli.local.LocalCluster;
import io.flowraft.cli.local.LocalPostgres;
import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.history.HistoryDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * {@code --soak}: a long run of one-task workflows through three coordinators with history on and a short
 * retention, to show that the replicated state stays bounded. First the cost of history: the same closed-loop
 * run on clusters with and without a database, alternated ({@code --soak-rounds}), in tasks/s. Then the soak
 * itself: {@code --soak-workflows} workflows in chunks, and every {@code --soak-sample} each coordinator's heap
 * after a full GC, the state the leader holds, a snapshot's size, and the export lag (its maximum watched every
 * second). At the end the first workflow, long evicted, must read back from PostgreSQL and every workflow must
 * be there. The cluster's history schema is dropped afterwards.
 */
final class SoakPhase {

    private static final double MIB = 1024.0 * 1024.0;
    private static final int CHUNK = 2_000;
    /** Poll records of the workers still polling, and the definition's bookkeeping: what "drained" may hold. */
    private static final long DRAINED_SLACK_BYTES = 256 * 1024;

    private final ClusterBench bench;

    SoakPhase(ClusterBench bench) {
        this.bench = bench;
    }

    Soak run() throws Exception {
        Path dir = bench.out().resolve("soak");
        LocalCluster.deleteRecursively(dir);
        try (LocalPostgres postgres = LocalPostgres.resolve(dir, System.getenv(), System.out)) {
            System.out.printf(Locale.ROOT, ">>> soak: history in %s%n", postgres.origin());
            List<SoakComparison> rounds = new ArrayList<>();
            for (int round = 1; round <= bench.soakRounds(); round++) {
                rounds.add(compare(dir, postgres, round));
            }
            double off = rounds.stream().mapToDouble(SoakComparison::tasksPerSecondOff).sum();
            double on = rounds.stream().mapToDouble(SoakComparison::tasksPerSecondOn).sum();
            double cost = off == 0 ? 0 : 1 - on / off;
            System.out.printf(Locale.ROOT, "    history costs %.1f %% of tasks/s (on %.0f, off %.0f, summed over rounds)%n",
                    cost * 100, on, off);
            return soak(dir, postgres, rounds, cost);
        } finally {
            LocalCluster.deleteRecursively(dir);
        }
    }

    /** The spring properties of a soak cluster: the short retention, and the database when history is on. */
    private List<String> clusterArgs(LocalPostgres postgres) {
        List<String> args = new ArrayList<>(List.of(
                "--flowraft.retention.finished-after=" + bench.soakRetention().toMillis() + "ms",
                "--flowraft.retention.idempotency-keys=" + bench.soakKeyRetention().toMillis() + "ms"));
        if (postgres != null) {
            args.add("--flowraft.history.jdbc-url=" + postgres.jdbcUrl());
        }
        return args;
    }

    private SoakComparison compare(Path dir, LocalPostgres postgres, int round) throws Exception {
        double off = measure(dir.resolve("compare-off-" + round), null, "off-" + round);
        double on = measure(dir.resolve("compare-on-" + round), postgres, "on-" + round);
        System.out.printf(Locale.ROOT, "    round %d: %.0f tasks/s without history, %.0f with%n", round, off, on);
        return new SoakComparison(round, bench.soakCompareWorkflows(), off, on);
    }

    /** Tasks/s of one closed-loop run after a warm-up, on a fresh cluster, with history on or off. */
    private double measure(Path dir, LocalPostgres postgres, String name) throws Exception {
        String clusterId = null;
        try (LocalCluster cluster = new Clusters(bench).start(dir, 3, bench.workers(),
                bench.coordinatorHeap(), clusterArgs(postgres))) {
            // the admin key: the soak reads engine settings and takes snapshots as well as submitting
            CoordinatorPool pool = new CoordinatorPool(cluster.coordinatorUrls(), cluster.adminCredentials());
            pool.call(client -> client.registerDefinition(Shape.SINGLE.definition()));
            clusterId = pool.call(FlowRaftClient::engineSettings).clusterId();
            System.out.printf(Locale.ROOT, ">>> soak: history %s, %,d workflows after %,d of warm-up%n",
                    postgres == null ? "off" : "on", bench.soakCompareWorkflows(), bench.warmup());
            drive(pool, "compare-" + name + "-warmup", bench.warmup());
            LoadDriver.Result result = drive(pool, "compare-" + name, bench.soakCompareWorkflows());
            return result.completed() * Shape.SINGLE.tasksRun() / result.seconds();
        } finally {
            LocalCluster.deleteRecursively(dir);
            if (postgres != null && clusterId != null) {
                dropSchema(postgres, clusterId);
            }
        }
    }

    private Soak soak(Path dir, LocalPostgres postgres, List<SoakComparison> rounds, double cost) throws Exception {
        int total = bench.soakWorkflows();
        String clusterId = null;
        try (LocalCluster cluster = new Clusters(bench).start(dir.resolve("soak"), 3, bench.workers(),
                bench.coordinatorHeap(), clusterArgs(postgres))) {
            // the admin key: the soak reads engine settings and takes snapshots as well as submitting
            CoordinatorPool pool = new CoordinatorPool(cluster.coordinatorUrls(), cluster.adminCredentials());
            pool.call(client -> client.registerDefinition(Shape.SINGLE.definition()));
            clusterId = pool.call(FlowRaftClient::engineSettings).clusterId();
            System.out.printf(Locale.ROOT, ">>> soak: %,d one-task workflows, retention %s (keys %s), a sample every %s%n",
                    total, bench.soakRetention(), bench.soakKeyRetention(), bench.soakSample());
            LagWatch lag = new LagWatch(cluster);
            Thread watcher = Thread.ofPlatform().daemon().name("soak-lag").start(lag);
            List<SoakSample> samples = new CopyOnWriteArrayList<>();
            AtomicLong done = new AtomicLong();
            long start = System.nanoTime();
            samples.add(sample(cluster, start, 0, 0, new double[2]));
            // Rows are taken on a thread of their own, by the clock, while the load goes on without a pause.
            AtomicReference<LoadDriver> current = new AtomicReference<>();
            Sampler sampler = new Sampler(cluster, lag, samples, () -> done.get() + counted(current.get()), start,
                    bench.soakSample());
            Thread sampling = Thread.ofPlatform().daemon().name("soak-sampler").start(sampler);
            String firstId = null;
            int lost = 0;
            int unfinished = 0;
            for (int chunk = 0; done.get() < total; chunk++) {
                int n = (int) Math.min(CHUNK, total - done.get());
                LoadDriver driver = new LoadDriver(pool, Shape.SINGLE, "soak-" + chunk, bench.soakRate() <= 0);
                current.set(driver);
                LoadDriver.Result result = bench.soakRate() > 0 ? driver.run(n, 0, bench.soakRate(), null)
                        : driver.run(n, Math.min(bench.clients(), n), 0, null);
                lost += result.lost();
                unfinished += result.unfinished();
                if (firstId == null) {
                    firstId = result.ids()[0];
                }
                current.set(null); // a row taken in between counts this chunk in the next one, never twice
                done.addAndGet(n);
            }
            sampler.stop();
            sampling.interrupt();
            sampling.join(120_000);
            SoakSample endOfLoad = sampler.sampleNow();
            print(endOfLoad);
            samples.add(endOfLoad);
            long loadEnd = System.nanoTime();
            double seconds = (loadEnd - start) / 1e9;
            // Drained: everything exported, the retentions passed once more, and the state back to what it held
            // before the first workflow (eviction waits for the export, so a drained state means all was exported).
            FlowRaftClient leader = leaderClient(cluster);
            Duration longest = bench.soakRetention().compareTo(bench.soakKeyRetention()) > 0 ? bench.soakRetention()
                    : bench.soakKeyRetention();
            long baseline = samples.get(0).stateBytes();
            Waits.until("the state to hold no more than it did before the soak", longest.plus(Duration.ofSeconds(300)),
                    () -> leader.engineSettings().stateBytes() <= baseline + DRAINED_SLACK_BYTES);
            long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadEnd);
            SoakSample drained = sample(cluster, start, done.get(), 0, lag.takeMax());
            samples.add(drained);
            print(drained);
            lag.stop();
            watcher.join(5_000);
            WorkflowView first = leader.getWorkflow(firstId);
            long exportedWorkflows = countWorkflows(postgres, clusterId, "COMPLETED");
            System.out.printf(Locale.ROOT, "    first workflow %s read back from %s (%s); %,d completed workflows in "
                            + "PostgreSQL%n",
                    first.id(), first.source(), first.status(), exportedWorkflows);
            return new Soak(total, seconds, total / seconds, lost, unfinished, bench.soakRetention().toMillis(),
                    bench.soakKeyRetention().toMillis(), rounds, cost, samples, lag.maxEntriesEver(),
                    lag.maxSecondsEver(), drainMs, first.source(), first.status().name(), exportedWorkflows);
        } finally {
            LocalCluster.deleteRecursively(dir.resolve("soak"));
            if (clusterId != null) {
                dropSchema(postgres, clusterId);
            }
        }
    }

    private static long counted(LoadDriver driver) {
        return driver == null ? 0 : driver.countedSoFar();
    }

    private LoadDriver.Result drive(CoordinatorPool pool, String run, int workflows) throws InterruptedException {
        return new LoadDriver(pool, Shape.SINGLE, run, true).run(workflows, Math.min(bench.clients(), workflows), 0, null);
    }

    /** One row of the soak's table: heap after a full GC on every coordinator, the leader's state, a snapshot. */
    private static SoakSample sample(LocalCluster cluster, long start, long workflows, double rate, double[] lag)
            throws IOException, InterruptedException {
        List<Double> heap = new ArrayList<>();
        for (double bytes : MemoryPhase.heapAfterGc(cluster)) {
            heap.add(Math.round(bytes / MIB * 10) / 10.0);
        }
        FlowRaftClient leader = leaderClient(cluster);
        EngineSettings settings = leader.engineSettings();
        SnapshotView snapshot = leader.snapshot();
        double minutes = Math.round((System.nanoTime() - start) / 6e9) / 10.0;
        return new SoakSample(minutes, workflows, Math.round(rate), heap, settings.stateBytes(), snapshot.bytes(),
                snapshot.durationMs(), Math.round(lag[0]), lag[1]);
    }

    private static void print(SoakSample s) {
        System.out.printf(Locale.ROOT, "    %5.1f min  %,9d workflows  %4d/s  heap after GC %s MiB  state %,d B  "
                        + "snapshot %,d B  lag max %d entries / %.1f s%n", s.minutes(), s.workflows(), s.workflowsPerSecond(),
                s.heapMiBAfterGc(), s.stateBytes(), s.snapshotBytes(), s.lagEntriesMax(), s.lagSecondsMax());
    }

    private static FlowRaftClient leaderClient(LocalCluster cluster) {
        return new FlowRaftClient(cluster.coordinatorUrl(cluster.leader().orElseThrow()), Duration.ofSeconds(60),
                cluster.adminCredentials());
    }

    private static long countWorkflows(LocalPostgres postgres, String clusterId, String status) throws SQLException {
        String sql = "SELECT count(*) FROM " + HistoryDatabase.schemaFor(clusterId) + ".workflows WHERE status = ?";
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, status);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A soak leaves a million workflows of history behind: dropped, so runs do not fill the database. */
    private static void dropSchema(LocalPostgres postgres, String clusterId) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + HistoryDatabase.schemaFor(clusterId) + " CASCADE");
        } catch (SQLException e) {
            System.err.println("Could not drop the history schema of cluster " + clusterId + ": " + e.getMessage());
        }
    }

    /** Takes a sample row every interval until stopped, the rate since the previous row with it. */
    private static final class Sampler implements Runnable {

        private final LocalCluster cluster;
        private final LagWatch lag;
        private final List<SoakSample> samples;
        private final LongSupplier done;
        private final long start;
        private final Duration every;
        private volatile boolean running = true;
        private long doneBefore;
        private long before;

        Sampler(LocalCluster cluster, LagWatch lag, List<SoakSample> samples, LongSupplier done, long start,
                Duration every) {
            this.cluster = cluster;
            this.lag = lag;
            this.samples = samples;
            this.done = done;
            this.start = start;
            this.every = every;
            this.before = start;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    Thread.sleep(every.toMillis()); // the sampling period, not a wait for a condition
                    SoakSample s = sampleNow();
                    samples.add(s);
                    print(s);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    System.err.println("    sample skipped: " + e);
                }
            }
        }

        synchronized SoakSample sampleNow() throws IOException, InterruptedException {
            long now = System.nanoTime();
            long workflows = done.getAsLong();
            double rate = (workflows - doneBefore) / Math.max((now - before) / 1e9, 1e-3);
            doneBefore = workflows;
            before = now;
            return sample(cluster, start, workflows, rate, lag.takeMax());
        }

        void stop() {
            running = false;
        }
    }

    /** Scrapes the leader's export lag every second, keeping the maximum since the last sample and overall. */
    private static final class LagWatch implements Runnable {

        private final LocalCluster cluster;
        private volatile boolean running = true;
        private double maxEntries;
        private double maxSeconds;
        private double maxEntriesEver;
        private double maxSecondsEver;

        LagWatch(LocalCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    URI leader = cluster.managementUrl(cluster.leader().orElseThrow());
                    Prometheus scrape = Prometheus.scrape(leader);
                    double entries = scrape.sumOr("flowraft_history_export_lag_entries", "", 0);
                    double seconds = scrape.sumOr("flowraft_history_export_lag_seconds", "", 0);
                    synchronized (this) {
                        maxEntries = Math.max(maxEntries, entries);
                        maxSeconds = Math.max(maxSeconds, seconds);
                        maxEntriesEver = Math.max(maxEntriesEver, entries);
                        maxSecondsEver = Math.max(maxSecondsEver, seconds);
                    }
                } catch (RuntimeException e) {
                    // an election or a slow scrape: the next second tries again
                }
                try {
                    Thread.sleep(1_000); // a sampling period, not a wait for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** The maximum lag (entries, seconds) since the last call. */
        synchronized double[] takeMax() {
            double[] max = {maxEntries, maxSeconds};
            maxEntries = 0;
            maxSeconds = 0;
            return max;
        }

        synchronized long maxEntriesEver() {
            return Math.round(maxEntriesEver);
        }

        synchronized double maxSecondsEver() {
            return maxSecondsEver;
        }

        void stop() {
            running = false;
        }
    }
}
