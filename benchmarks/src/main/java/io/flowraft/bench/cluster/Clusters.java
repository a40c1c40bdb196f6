package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Run;
import io.flowraft.cli.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Fresh local clusters for the measured runs: one per run, started from the jars, data deleted afterwards. */
final class Clusters {

    private final ClusterBench bench;

    Clusters(ClusterBench bench) {
        this.bench = bench;
    }

    /** Starts a cluster, measures one run on it (and the half-rate run after "main"), stops it. */
    Run measure(String name, int coordinators, int workers, boolean killLeader) throws Exception {
        Path dir = bench.out().resolve(name);
        LocalCluster.deleteRecursively(dir);
        try (LocalCluster cluster = start(dir, coordinators, workers, bench.coordinatorHeap())) {
            List<ProcessProbe.Watched> watched = new ArrayList<>();
            for (int i = 0; i < coordinators; i++) {
                watched.add(new ProcessProbe.Watched("coordinator-" + (i + 1), cluster.coordinator(i).toHandle(),
                        cluster.managementUrl(i)));
            }
            for (int j = 0; j < workers; j++) {
                watched.add(new ProcessProbe.Watched("worker-" + (j + 1), cluster.workers().get(j).toHandle(),
                        cluster.workerUrls().get(j)));
            }
            // The harness shares the machine: its own CPU is part of the picture (its heap is not sampled).
            watched.add(new ProcessProbe.Watched("bench-driver", ProcessHandle.current(), null));
            Phase phase = new Phase(bench, new CoordinatorPool(cluster.coordinatorUrls(), cluster.clientCredentials()),
                    cluster.managementUrls(),
                    cluster.workerUrls(), watched);
            Run run = phase.measure(name, coordinators, workers, killLeader ? new LeaderKill(cluster) : null);
            bench.report().runs.add(run);
            if (name.equals("main") && bench.halfRate() && bench.rate() <= 0) {
                bench.report().runs.add(phase.halfRate(run));
            }
            if (name.equals("main") && bench.rate() <= 0) {
                for (double fraction : bench.rateFractions()) {
                    bench.report().runs.add(phase.atFraction(run, fraction,
                            String.format(java.util.Locale.ROOT, "main-at-%.2f", fraction)));
                }
            }
            return run;
        } finally {
            for (int i = 0; i < coordinators; i++) {
                LocalCluster.deleteRecursively(dir.resolve("coordinator-" + (i + 1)));
            }
        }
    }

    /** Coordinators (with a leader) and ready workers; the caller closes it. */
    LocalCluster start(Path dir, int coordinators, int workers, String heap) throws IOException, InterruptedException {
        return start(dir, coordinators, workers, heap, List.of());
    }

    /** As {@link #start(Path, int, int, String)}, with Spring properties of this cluster's own for its coordinators. */
    LocalCluster start(Path dir, int coordinators, int workers, String heap, List<String> clusterArgs)
            throws IOException, InterruptedException {
        List<String> coordinatorJvm = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap));
        List<String> workerJvm = new ArrayList<>(List.of("-Xmx256m"));
        coordinatorJvm.addAll(bench.coordinatorJvm());
        workerJvm.addAll(bench.workerJvm());
        if (bench.jfr()) {
            String recording = "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + dir.toAbsolutePath() + "/%s-%%p.jfr";
            coordinatorJvm.add(recording.formatted("coordinator"));
            workerJvm.add(recording.formatted("worker"));
        }
        // Per-task INFO lines would cost more than the tasks; leader changes and errors still show.
        List<String> coordinatorArgs = new ArrayList<>(List.of("--logging.level.root=WARN", "--logging.level.io.flowraft=INFO",
                // authenticated as anywhere, but the per-principal rate limits are off: the bench measures the
                // engine, and its driver (one principal per role) goes far past a single client's share
                "--flowraft.security.rate-limits.client=0", "--flowraft.security.rate-limits.worker=0",
                "--flowraft.security.rate-limits.admin=0", "--flowraft.security.rate-limits.reader=0"));
        coordinatorArgs.addAll(clusterArgs);
        coordinatorArgs.addAll(bench.coordinatorArgs());
        List<String> workerArgs = new ArrayList<>(List.of("--logging.level.root=WARN", "--logging.level.io.flowraft=WARN",
                "--flowraft.worker.max-in-flight=" + bench.workerSlots()));
        workerArgs.addAll(bench.workerArgs());
        LocalCluster cluster = new LocalCluster(bench.coordinatorJar(), bench.workerJar(), dir, coordinators,
                new LocalCluster.Options(false, coordinatorJvm, coordinatorArgs, workerJvm, workerArgs));
        try {
            cluster.startCoordinators();
            // generous: on a shared 2-core machine three JVMs may take minutes to start
            Waits.until("the coordinators", Duration.ofSeconds(300), () -> cluster.coordinatorsReady()
                    && cluster.leader().isPresent());
            if (workers > 0) {
                cluster.startWorkers(workers);
                Waits.until("the workers", Duration.ofSeconds(300), cluster::workersReady);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }
}
