package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Latency;
import io.flowraft.bench.cluster.BenchReport.RaftLoad;
import io.flowraft.bench.cluster.BenchReport.Run;
import io.flowraft.bench.peer.PeerBaseline;
import io.flowraft.bench.peer.PeerComparison;
import io.flowraft.bench.peer.PeerOptions;
import io.flowraft.bench.raft.RawRaftBaseline;
import io.flowraft.cli.DurationConverter;
import io.flowraft.cli.local.LocalCluster;
import io.flowraft.contracts.client.ClientCredentials;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./flowraft bench}: starts coordinator and worker processes from the built jars (or uses a running
 * cluster with {@code --url}), drives workflows of one shape through them, and reports throughput, latency
 * percentiles, CPU and heap per process, and, in the same run, what raw SOFAJRaft commits on this machine, so
 * the engine's cost is a ratio that holds on a noisy machine. Options add scaling runs, a leader killed
 * mid-run, a memory/snapshot phase and ({@code --peer}) a PostgreSQL job queue running the same chain load, the
 * peer FlowRaft's throughput is judged against. See docs/BENCHMARKS.md.
 */
@Command(name = "flowraft bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks a FlowRaft cluster: throughput, latency, CPU and heap, against raw SOFAJRaft.")
public final class ClusterBench implements Callable<Integer> {

    @Option(names = "--shape", description = "chain (10 sequential tasks), fanout (1 -> 50 -> 1) or diamond "
            + "(a condition per branch and a NONE_FAILED join). Default: ${DEFAULT-VALUE}")
    Shape shape = Shape.CHAIN;

    @Option(names = "--workflows", description = "Workflows per measured run. Default: ${DEFAULT-VALUE}")
    int workflows = 5000;

    @Option(names = "--warmup", description = "Workflows run before each measurement, not counted. Default: ${DEFAULT-VALUE}")
    int warmup = 2000;

    @Option(names = "--clients", description = "Closed loop: clients each running one workflow at a time. Default: ${DEFAULT-VALUE}")
    int clients = 64;

    @Option(names = "--single-submits", description = "Submit each workflow with its own request (POST /workflows) and "
            + "await each with its own (GET /workflows/{id}?waitMs=), as a simple client does, instead of in batches "
            + "(POST /workflows/batch) with one wait for many ends (POST /workflows/ends). Default: batches")
    boolean singleSubmits;

    @Option(names = "--rate", description = "Open loop instead: workflows started per second, whatever the cluster does.")
    double rate;

    @Option(names = "--no-half-rate", negatable = true, description = "After a closed-loop run, run open loop at half "
            + "the rate it sustained (dispatch latency at half load). Default: on")
    boolean halfRate = true;

    @Option(names = "--rate-fractions", split = ",", description = "After a closed-loop run, also run open loop at these "
            + "fractions of its rate, e.g. 0.25,0.75: with the half-rate run they split the coordinators' CPU into a fixed "
            + "part and a part per task (results.md, \"CPU: fixed and per task\"). Default: none")
    List<Double> rateFractions = List.of();

    @Option(names = "--coordinators", description = "Coordinator processes. Default: ${DEFAULT-VALUE}")
    int coordinators = 3;

    @Option(names = "--workers", description = "Worker processes. Default: ${DEFAULT-VALUE}")
    int workers = 4;

    @Option(names = "--worker-slots", description = "Tasks each worker runs at once (flowraft.worker.max-in-flight). "
            + "Default: ${DEFAULT-VALUE}")
    int workerSlots = 64;

    @Option(names = "--url", split = ",", description = "Benchmark a running cluster (its coordinators' URLs) "
            + "instead of starting one; its workers must run the noop type.")
    List<URI> urls;

    @Option(names = "--worker-url", split = ",", description = "With --url: the workers' actuator URLs, for report latencies.")
    List<URI> workerUrls = List.of();

    @Option(names = "--management-url", split = ",", description = "With --url: the coordinators' management URLs "
            + "(Prometheus). Default: each coordinator's port plus 1000.")
    List<URI> managementUrls;

    @Option(names = "--api-key", description = "With --url: the client API key (role client). Default: "
            + "$FLOWRAFT_API_KEY.")
    String apiKey = System.getenv("FLOWRAFT_API_KEY");

    @Option(names = "--scaling", description = "Also run with 1, 2 and 4 workers, and with 5 coordinators.")
    boolean scaling;

    @Option(names = "--kill-leader", description = "Also run once more and SIGKILL the leader half-way.")
    boolean killLeader;

    @Option(names = "--memory", description = "Also measure heap per 10,000 active workflows, snapshot save/load "
            + "and the catch-up of a wiped follower.")
    boolean memory;

    @Option(names = "--memory-active", description = "Active workflows for the heap measure. Default: ${DEFAULT-VALUE}")
    int memoryActive = 10_000;

    @Option(names = "--memory-snapshot", description = "Workflows in the snapshot measured. Default: ${DEFAULT-VALUE}")
    int memorySnapshot = 100_000;

    @Option(names = "--memory-heap", description = "Coordinators' -Xmx in the memory phase. Default: ${DEFAULT-VALUE}")
    String memoryHeap = "2g";

    @Option(names = "--soak", description = "Instead of the throughput runs: history's cost (tasks/s with and "
            + "without a database), then --soak-workflows one-task workflows with history on and a short retention, "
            + "heap after GC, state, snapshot and export lag sampled over time (about half an hour for 1,000,000).")
    boolean soak;

    @Option(names = "--soak-workflows", description = "Workflows through the soak. Default: ${DEFAULT-VALUE}")
    int soakWorkflows = 1_000_000;

    @Option(names = "--soak-retention", converter = DurationConverter.class, description = "flowraft.retention."
            + "finished-after in the soak. Default: ${DEFAULT-VALUE}")
    Duration soakRetention = Duration.ofSeconds(30);

    @Option(names = "--soak-key-retention", converter = DurationConverter.class, description = "flowraft.retention."
            + "idempotency-keys in the soak (every workflow carries a key). Default: ${DEFAULT-VALUE}")
    Duration soakKeyRetention = Duration.ofMinutes(2);

    @Option(names = "--soak-sample", converter = DurationConverter.class, description = "A sample row every this "
            + "long. Default: ${DEFAULT-VALUE}")
    Duration soakSample = Duration.ofMinutes(1);

    @Option(names = "--soak-rate", description = "Open loop in the soak: workflows submitted per second, each "
            + "counted once acknowledged (no request awaits its end; the end check counts them COMPLETED in "
            + "PostgreSQL). Default: closed loop, --clients each awaiting its workflow's end.")
    double soakRate;

    @Option(names = "--soak-rounds", description = "Alternated rounds of the history on/off comparison (0 skips it). "
            + "Default: ${DEFAULT-VALUE}")
    int soakRounds = 2;

    @Option(names = "--soak-compare-workflows", description = "Workflows measured per comparison run, after "
            + "--warmup. Default: ${DEFAULT-VALUE}")
    int soakCompareWorkflows = 20_000;

    @Option(names = "--all", description = "--scaling --kill-leader --memory")
    boolean all;

    @Mixin
    PeerOptions peer = new PeerOptions();

    @Option(names = "--raw-seconds", description = "Length of the raw SOFAJRaft baseline; 0 skips it. Default: ${DEFAULT-VALUE}")
    int rawSeconds = 10;

    @Option(names = "--coordinator-heap", description = "Coordinators' -Xmx. Default: ${DEFAULT-VALUE}")
    String coordinatorHeap = "1g";

    @Option(names = "--coordinator-arg", description = "An extra Spring property for every coordinator, e.g. "
            + "--coordinator-arg=--flowraft.raft.max-batch=512 (repeatable).")
    List<String> coordinatorArgs = new ArrayList<>();

    @Option(names = "--worker-arg", description = "An extra Spring property for every worker (repeatable).")
    List<String> workerArgs = new ArrayList<>();

    @Option(names = "--coordinator-jvm", description = "An extra JVM option for every coordinator, e.g. "
            + "--coordinator-jvm=-XX:+UseParallelGC (repeatable).")
    List<String> coordinatorJvm = new ArrayList<>();

    @Option(names = "--worker-jvm", description = "An extra JVM option for every worker (repeatable).")
    List<String> workerJvm = new ArrayList<>();

    @Option(names = "--jfr", description = "Record a JFR profile of every process into the output directory.")
    boolean jfr;

    @Option(names = "--out", description = "Where results.json, results.md and the processes' logs go. "
            + "Default: ${DEFAULT-VALUE}")
    Path out = Path.of("bench-results");

    @Option(names = "--coordinator-jar", description = "Default: ${DEFAULT-VALUE}")
    Path coordinatorJar = Path.of("coordinator-service/target/coordinator-service-0.1.0-SNAPSHOT-exec.jar");

    @Option(names = "--worker-jar", description = "Default: ${DEFAULT-VALUE}")
    Path workerJar = Path.of("worker-service/target/worker-service-0.1.0-SNAPSHOT-exec.jar");

    private final BenchReport report = new BenchReport();

    public static void main(String[] args) {
        System.setProperty("logback.middleware.log.disable", "true");
        Environment.arguments(args);
        int status = new CommandLine(new ClusterBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(status);
    }

    @Override
    public Integer call() throws Exception {
        if (all) {
            scaling = killLeader = memory = true;
        }
        report.commit = Environment.commit();
        report.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        report.machine = Environment.machine();
        report.command = "./flowraft bench " + String.join(" ", Environment.arguments());
        Files.createDirectories(out);
        if (urls != null && (scaling || killLeader || memory || soak)) {
            System.err.println("--scaling, --kill-leader, --memory and --soak need processes of their own; not with --url");
            return 64;
        }
        if (peer.enabled() && shape != Shape.CHAIN) {
            System.err.println("--peer runs the chain shape only; not with --shape " + shape);
            return 64;
        }
        try {
            if (peer.only()) {
                System.out.println(">>> --peer-only: no cluster");
            } else if (soak) {
                LocalCluster.requireFile(coordinatorJar);
                LocalCluster.requireFile(workerJar);
                report.soak = new SoakPhase(this).run();
            } else if (urls != null) {
                runAgainst(urls);
            } else {
                runLocal();
            }
            if (peer.enabled()) {
                peerBaseline();
            }
        } finally {
            // Written even when a later phase fails, so the runs already measured are not lost with it.
            Targets.judge(report);
            report.write(out);
            System.out.println();
            System.out.println(report.markdown());
            System.out.println("Written: " + out.resolve("results.json") + " and " + out.resolve("results.md"));
        }
        boolean clean = report.runs.stream().allMatch(r -> r.lost() == 0 && r.unfinished() == 0)
                && (report.soak == null || report.soak.lost() + report.soak.unfinished() == 0)
                && (report.peer == null || report.peer.clean());
        return clean ? 0 : 1;
    }

    /** Every phase asked for, each on clusters of processes of its own. */
    private void runLocal() throws Exception {
        LocalCluster.requireFile(coordinatorJar);
        LocalCluster.requireFile(workerJar);
        Clusters clusters = new Clusters(this);
        Run main = clusters.measure("main", coordinators, workers, false);
        if (scaling) {
            for (int w : new int[] {1, 2, 4}) {
                clusters.measure("scale-" + w + "w", 3, w, false);
            }
            clusters.measure("scale-5c", 5, 4, false);
        }
        if (killLeader) {
            clusters.measure("kill-leader", coordinators, workers, true);
        }
        if (rawSeconds > 0) {
            rawBaseline(main);
        }
        if (memory) {
            report.memory = new MemoryPhase(this).run();
        }
    }

    private void runAgainst(List<URI> coordinatorUrls) throws Exception {
        CoordinatorPool pool = new CoordinatorPool(coordinatorUrls, ClientCredentials.bearer(apiKey));
        List<URI> management = managementUrls != null ? managementUrls : coordinatorUrls.stream()
                .map(uri -> URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() + 1000))).toList();
        List<ProcessProbe.Watched> watched = new ArrayList<>();
        for (int i = 0; i < coordinatorUrls.size(); i++) {
            watched.add(new ProcessProbe.Watched("coordinator-" + (i + 1), null, management.get(i)));
        }
        for (int j = 0; j < workerUrls.size(); j++) {
            watched.add(new ProcessProbe.Watched("worker-" + (j + 1), null, workerUrls.get(j)));
        }
        Phase phase = new Phase(this, pool, management, workerUrls, watched);
        Run main = phase.measure("main", coordinatorUrls.size(), workerUrls.size(), null);
        report.runs.add(main);
        if (halfRate && rate <= 0) {
            report.runs.add(phase.halfRate(main));
        }
        if (rawSeconds > 0) {
            rawBaseline(main);
        }
    }

    /** The raw SOFAJRaft baseline at the main run's in-flight depth and command size, once its cluster is gone. */
    private void rawBaseline(Run main) throws Exception {
        RaftLoad load = main.raft();
        int inFlight = (int) Math.max(1, Math.round(load.meanProposalsInFlight()));
        int bytes = (int) Math.max(16, Math.round(load.meanCommandBytes()));
        System.out.printf(Locale.ROOT, "%n>>> raw SOFAJRaft baseline: %d in flight, %d-byte entries, %d s%n", inFlight,
                bytes, rawSeconds);
        RawRaftBaseline.Result raw = RawRaftBaseline.measure(inFlight, bytes, Duration.ofSeconds(rawSeconds));
        report.rawRaft = new BenchReport.RawRaft(inFlight, bytes, raw.seconds(), raw.commitsPerSecond(),
                Latency.of(raw.latencyMicros()));
        report.engineCostRatio = raw.commitsPerSecond() == 0 ? null : main.tasksPerSecond() / raw.commitsPerSecond();
    }

    /**
     * The PostgreSQL job-queue peer at the main run's closed-loop load, run last (the clusters this harness
     * started are stopped by then, so the two never share the machine), and the ratio of the main run's tasks/s
     * to the peer's. An open-loop main run ({@code --rate}) measured the rate offered, not what the cluster can
     * do, so it gets no ratio.
     */
    private void peerBaseline() throws Exception {
        System.out.println();
        report.peer = PeerBaseline.measure(peer.settings(workflows, warmup, clients, workers * workerSlots),
                peer.runs(), System.out);
        if (rate > 0) {
            report.notes.add("No FlowRaft ÷ peer ratio: the FlowRaft run was open loop (--rate), the peer closed loop.");
            return;
        }
        report.runs.stream().filter(r -> r.name().equals("main")).findFirst().ifPresent(main -> report.peerComparison =
                PeerComparison.of(main.tasksPerSecond(), main.coordinators(), main.workers(), report.peer));
    }

    BenchReport report() {
        return report;
    }

    // --- settings the phases read -------------------------------------------------------------------------

    Shape shape() {
        return shape;
    }

    int workflows() {
        return workflows;
    }

    int warmup() {
        return warmup;
    }

    boolean batchedClient() {
        return !singleSubmits;
    }

    int clients() {
        return clients;
    }

    double rate() {
        return rate;
    }

    List<Double> rateFractions() {
        return rateFractions;
    }

    boolean halfRate() {
        return halfRate;
    }

    int workers() {
        return workers;
    }

    int soakWorkflows() {
        return soakWorkflows;
    }

    Duration soakRetention() {
        return soakRetention;
    }

    Duration soakKeyRetention() {
        return soakKeyRetention;
    }

    Duration soakSample() {
        return soakSample;
    }

    double soakRate() {
        return soakRate;
    }

    int soakRounds() {
        return soakRounds;
    }

    int soakCompareWorkflows() {
        return soakCompareWorkflows;
    }

    int workerSlots() {
        return workerSlots;
    }

    int memoryActive() {
        return memoryActive;
    }

    int memorySnapshot() {
        return memorySnapshot;
    }

    String memoryHeap() {
        return memoryHeap;
    }

    String coordinatorHeap() {
        return coordinatorHeap;
    }

    List<String> coordinatorArgs() {
        return coordinatorArgs;
    }

    List<String> workerArgs() {
        return workerArgs;
    }

    List<String> coordinatorJvm() {
        return coordinatorJvm;
    }

    List<String> workerJvm() {
        return workerJvm;
    }

    boolean jfr() {
        return jfr;
    }

    Path out() {
        return out;
    }

    Path coordinatorJar() {
        return coordinatorJar;
    }

    Path workerJar() {
        return workerJar;
    }
}
