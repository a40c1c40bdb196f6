package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Memory;
import io.flowraft.cli.local.LocalCluster;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.client.FlowRaftClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --memory}: a cluster without workers, so every submitted chain stays active (t0 READY, t1..t9
 * PENDING). Measures the coordinators' heap after a full GC before and after {@code --memory-active}
 * workflows; fills up to {@code --memory-snapshot} workflows and has the leader take a snapshot (size, save
 * time); then wipes a follower's data and restarts it, and times how long until it has applied everything the
 * leader had committed (it needs the snapshot and the log after it), with its snapshot load time. With the full
 * state held, it also checks that reading the cluster status does not slow applies ({@link StatusUnderLoad}).
 */
final class MemoryPhase {

    private static final double MIB = 1024.0 * 1024.0;
    private static final int WARM_UP = 200;
    private static final int STATUS_SUBMITS = 500;

    private final ClusterBench bench;

    MemoryPhase(ClusterBench bench) {
        this.bench = bench;
    }

    Memory run() throws Exception {
        Path dir = bench.out().resolve("memory");
        LocalCluster.deleteRecursively(dir);
        int size = 3;
        try (LocalCluster cluster = new Clusters(bench).start(dir, size, 0, bench.memoryHeap())) {
            CoordinatorPool pool = new CoordinatorPool(cluster.coordinatorUrls(), cluster.clientCredentials());
            pool.call(client -> client.registerDefinition(Shape.CHAIN.definition()));
            // A few workflows first, so the baseline holds what the first ones create once (caches, code paths
            // taken for the first time, the proposer's and HTTP's pools), and only the workflows differ.
            fill(pool, WARM_UP, "warm-up");
            awaitApplied(cluster);
            double[] before = heapAfterGc(cluster);

            int active = bench.memoryActive();
            System.out.printf(Locale.ROOT, ">>> memory: %,d active chain workflows, no workers%n", active);
            fill(pool, active, "active");
            awaitApplied(cluster);
            double[] after = heapAfterGc(cluster);
            List<Double> per10k = new ArrayList<>();
            List<Double> heapBefore = new ArrayList<>();
            List<Double> heapAfter = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                per10k.add(Math.round((after[i] - before[i]) / MIB * 10_000.0 / active * 10) / 10.0);
                heapBefore.add(Math.round(before[i] / MIB * 10) / 10.0);
                heapAfter.add(Math.round(after[i] / MIB * 10) / 10.0);
            }
            System.out.printf(Locale.ROOT, "    heap per 10,000 active workflows: %s MiB%n", per10k);

            int total = Math.max(bench.memorySnapshot(), active);
            System.out.printf(Locale.ROOT, ">>> memory: filling up to %,d workflows for the snapshot%n", total);
            int filled = Math.max(total - active - WARM_UP, 0);
            fill(pool, filled, "fill");
            awaitApplied(cluster);
            int leader = cluster.leader().orElseThrow();
            StatusUnderLoad.Result status = StatusUnderLoad.measure(client(cluster, leader), Shape.CHAIN,
                    WARM_UP + active + filled, STATUS_SUBMITS);
            awaitApplied(cluster);
            // SOFAJRaft keeps the log back to the previous snapshot, so a follower wiped after one snapshot would
            // replay the log instead of installing a snapshot. Two snapshots, with a little work between them,
            // truncate the log to the first: the wiped follower must take the second one. Every coordinator takes
            // them, not only the leader: on a starved machine the leader may change before the wiped follower
            // comes back, and a new leader with its whole log would let it replay that instead.
            for (int i = 0; i < size; i++) {
                client(cluster, i).snapshot();
            }
            fill(pool, 10, "between-snapshots");
            awaitApplied(cluster);
            for (int i = 0; i < size; i++) {
                if (i != leader) {
                    client(cluster, i).snapshot();
                }
            }
            SnapshotView snapshot = client(cluster, leader).snapshot();
            System.out.printf(Locale.ROOT, "    snapshot at index %d: %,d bytes, saved in %d ms%n", snapshot.index(),
                    snapshot.bytes(), snapshot.durationMs());

            int follower = (leader + 1) % size;
            long target = client(cluster, leader).cluster().commitIndex();
            // A plain restart first: the process start and the replay of its own snapshot and log, which the wiped
            // restart pays too. The difference is what catching up from nothing costs.
            Restart restart = restartAndCatchUp(cluster, follower, false, target);
            System.out.printf(Locale.ROOT, "    follower restarted with its data: HTTP after %d ms, caught up after %d ms%n",
                    restart.startedMs(), restart.caughtUpMs());
            Restart wiped = restartAndCatchUp(cluster, follower, true, target);
            // The first scrapes of a process just started may time out on a starved machine: try for a while.
            double loadMs = -1;
            long scrapeUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (loadMs < 0 && System.nanoTime() < scrapeUntil) {
                Prometheus scrape = Prometheus.scrape(cluster.managementUrl(follower));
                loadMs = scrape.sumOr("flowraft_raft_snapshot_load_seconds_max", "", -0.001) * 1000;
                if (loadMs < 0) {
                    Thread.sleep(500);
                }
            }
            System.out.printf(Locale.ROOT, "    wiped follower: HTTP after %d ms, caught up %d entries after %d ms; "
                    + "snapshot load %.0f ms%n", wiped.startedMs(), target, wiped.caughtUpMs(), loadMs);
            double worst = per10k.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            return new Memory(active, worst, per10k, heapBefore, heapAfter, WARM_UP + active + filled + 10,
                    snapshot.bytes(), snapshot.durationMs(), loadMs, wiped.caughtUpMs(), wiped.startedMs(), restart.caughtUpMs(),
                    restart.startedMs(), target, status);
        } finally {
            for (int i = 0; i < size; i++) {
                LocalCluster.deleteRecursively(dir.resolve("coordinator-" + (i + 1)));
            }
        }
    }

    private void fill(CoordinatorPool pool, int workflows, String name) throws InterruptedException {
        if (workflows <= 0) {
            return;
        }
        LoadDriver.Result result = new LoadDriver(pool, Shape.CHAIN, "memory-" + name, false)
                .run(workflows, Math.min(bench.clients(), workflows), 0, null);
        if (workflows >= 100) {
            System.out.printf(Locale.ROOT, "    submitted %,d in %.1f s (%.0f/s)%n", result.completed(), result.seconds(),
                    result.workflowsPerSecond());
        }
        if (result.completed() != workflows) {
            throw new IllegalStateException((workflows - result.completed()) + " submits were not acknowledged");
        }
    }

    /**
     * Stops coordinator {@code node} gracefully, wipes it if asked, starts it again, and answers the ms from its
     * launch until its HTTP port answers and until it has applied {@code target}. The stop is not timed: a
     * follower that is wiped in production is a new pod, started from nothing.
     */
    private static Restart restartAndCatchUp(LocalCluster cluster, int node, boolean wipe, long target) throws Exception {
        cluster.stopCoordinator(node);
        long launched = System.nanoTime();
        cluster.restartStopped(node, wipe);
        FlowRaftClient client = client(cluster, node);
        Waits.until("coordinator " + (node + 1) + " to answer HTTP", Duration.ofSeconds(300),
                () -> client.clusterStale() != null);
        long startedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
        Waits.until("coordinator " + (node + 1) + " to catch up", Duration.ofSeconds(300),
                () -> client.clusterStale().appliedIndex() >= target);
        return new Restart(startedMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));
    }

    /** Milliseconds from a coordinator's launch until it answered HTTP, and until it had caught up. */
    private record Restart(long startedMs, long caughtUpMs) {
    }

    /** Waits until every coordinator has applied what the leader has committed. */
    private static void awaitApplied(LocalCluster cluster) throws InterruptedException {
        int leader = cluster.leader().orElseThrow();
        long committed = client(cluster, leader).cluster().commitIndex();
        for (int i = 0; i < cluster.size(); i++) {
            FlowRaftClient node = client(cluster, i);
            Waits.until("coordinator " + (i + 1) + " to apply " + committed, Duration.ofSeconds(120),
                    () -> node.clusterStale().appliedIndex() >= committed);
        }
    }

    /** Each coordinator's used heap right after a full GC ({@code jcmd <pid> GC.run}). */
    static double[] heapAfterGc(LocalCluster cluster) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        double[] heap = new double[cluster.size()];
        for (int i = 0; i < cluster.size(); i++) {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(cluster.coordinator(i).pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                throw new IllegalStateException("jcmd GC.run failed on coordinator " + (i + 1));
            }
            heap[i] = Prometheus.scrape(cluster.managementUrl(i)).sum("jvm_memory_used_bytes", "area=\"heap\"")
                    .orElseThrow(() -> new IllegalStateException("no heap metric"));
        }
        return heap;
    }

    private static FlowRaftClient client(LocalCluster cluster, int i) {
        return new FlowRaftClient(cluster.coordinatorUrl(i), Duration.ofSeconds(60), cluster.adminCredentials());
    }
}
