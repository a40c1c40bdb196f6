package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Latency;
import io.flowraft.bench.cluster.BenchReport.Process;
import io.flowraft.bench.cluster.BenchReport.RaftLoad;
import io.flowraft.bench.cluster.BenchReport.Run;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Measured runs on one cluster: registers the shape's definition, warms up once, then runs a load and gathers
 * everything the report needs about it (client latencies, dispatch from histories, report latencies from the
 * workers, CPU and heap of the processes, 429s, the leader's in-flight depth and command size).
 */
final class Phase {

    /** How many workflows' histories are read for the dispatch latency. */
    private static final int HISTORY_SAMPLE = 300;
    /** The longest wait for the cluster to settle between runs. */
    private static final Duration SETTLE_AT_MOST = Duration.ofMinutes(2);

    private final ClusterBench bench;
    private final CoordinatorPool pool;
    /** The coordinators' management URLs: where their Prometheus metrics are read. */
    private final List<URI> coordinatorActuators;
    private final List<URI> workers;
    private final List<ProcessProbe.Watched> watched;
    private final String runId = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    private boolean warm;

    Phase(ClusterBench bench, CoordinatorPool pool, List<URI> coordinatorActuators, List<URI> workers,
            List<ProcessProbe.Watched> watched) {
        this.bench = bench;
        this.pool = pool;
        this.coordinatorActuators = coordinatorActuators;
        this.workers = workers;
        this.watched = watched;
    }

    /** The configured load: closed loop with {@code --clients}, or open loop at {@code --rate}. */
    Run measure(String name, int coordinatorCount, int workerCount, LeaderKill kill) throws InterruptedException {
        warmUp();
        return run(name, coordinatorCount, workerCount, bench.workflows(), bench.clients(), bench.rate(), kill);
    }

    /** Open loop at half of what {@code closed} sustained: latencies at a load the cluster can take. */
    Run halfRate(Run closed) throws InterruptedException {
        return atFraction(closed, 0.5, closed.name() + "-half-rate");
    }

    /** Open loop at {@code fraction} of the rate the closed-loop run sustained. */
    Run atFraction(Run closed, double fraction, String name) throws InterruptedException {
        double rate = Math.max(closed.workflowsPerSecond() * fraction, 1);
        return run(name, closed.coordinators(), closed.workers(), bench.workflows(), 0, rate, null);
    }

    private void warmUp() throws InterruptedException {
        if (warm) {
            return;
        }
        pool.call(client -> client.registerDefinition(bench.shape().definition()));
        if (bench.warmup() > 0) {
            System.out.printf(Locale.ROOT, ">>> warm-up: %d workflows%n", bench.warmup());
            new LoadDriver(pool, bench.shape(), runId + "-warmup", true, bench.batchedClient())
                    .run(bench.warmup(), Math.min(bench.clients(), bench.warmup()), 0, null);
        }
        warm = true;
    }

    private Run run(String name, int coordinatorCount, int workerCount, int workflows, int clients, double rate,
            LeaderKill kill) throws InterruptedException {
        String load = rate > 0 ? String.format(Locale.ROOT, "open %.0f/s", rate) : "closed " + clients + " clients";
        settle();
        System.out.printf(Locale.ROOT, ">>> %s: %s, %d workflows (%s), %d coordinators, %d workers%n", name,
                bench.shape().name().toLowerCase(Locale.ROOT), workflows, load, coordinatorCount, workerCount);
        Map<URI, Histogram> reportsBefore = ReportLatencies.read(workers);
        Counters before = Counters.read(coordinatorActuators);
        long tooManyBefore = pool.tooManyRequests();
        long resendsBefore = pool.resends();
        ProcessProbe probe = new ProcessProbe(watched, coordinatorActuators);
        LoadDriver.Result result;
        List<ProcessProbe.Usage> usages;
        try {
            result = new LoadDriver(pool, bench.shape(), runId + "-" + name, true, bench.batchedClient())
                    .run(workflows, clients, rate, kill == null ? null : kill::kill);
        } finally {
            usages = probe.finish();
        }
        Counters after = Counters.read(coordinatorActuators);
        Histogram reports = ReportLatencies.since(reportsBefore, ReportLatencies.read(workers));
        Histogram dispatch = DispatchLatency.of(pool, result.ids(), HISTORY_SAMPLE);
        int tasksRun = bench.shape().tasksRun();
        double commands = Math.max(after.commands() - before.commands(), 0);
        double commandBytes = commands == 0 ? 0 : Math.max(after.commandBytes() - before.commandBytes(), 0) / commands;
        double tasks = (double) result.completed() * tasksRun;
        double entries = Math.max(after.lastIndex() - before.lastIndex(), 0);
        RaftLoad raft = new RaftLoad(probe.meanProposalsInFlight(), commandBytes, tasks == 0 ? 0 : commands / tasks,
                tasks == 0 ? 0 : entries / tasks, Counters.requestsPerTask(before, after, tasks));
        Run run = new Run(name, bench.shape().name().toLowerCase(Locale.ROOT), load, coordinatorCount, workerCount,
                workflows, result.completed(), result.otherFinish(), result.lost(), result.unfinished(), result.seconds(),
                result.workflowsPerSecond(), result.workflowsPerSecond() * tasksRun, Latency.of(result.submitAck()),
                Latency.of(dispatch), Latency.of(reports), Latency.of(result.submitToFinish()),
                pool.tooManyRequests() - tooManyBefore, (long) Math.max(after.rejections() - before.rejections(), 0),
                pool.resends() - resendsBefore, raft,
                usages.stream().map(u -> new Process(u.name(), u.cpuSeconds(), u.peakHeapMiB(), u.jitSeconds(),
                        u.gcPauseSeconds())).toList(),
                kill == null ? null : kill.failover(result));
        System.out.printf(Locale.ROOT, "    %d/%d completed, %d lost, %.0f workflows/s, %.0f tasks/s, finish p99 %.1f ms, "
                        + "dispatch p99 %.1f ms, %d x 429%n", run.completed(), workflows, run.lost(), run.workflowsPerSecond(),
                run.tasksPerSecond(), run.submitToFinish().p99(), run.dispatch().p99(), run.http429());
        return run;
    }

    /**
     * Waits (at most {@link #SETTLE_AT_MOST}) until the history exporter has caught up with what the previous run
     * committed, so a run, an open-loop one above all, is measured in steady state rather than paying for the
     * backlog of the run before it. Without history there is no lag to wait for.
     */
    private void settle() {
        long start = System.nanoTime();
        long deadline = start + SETTLE_AT_MOST.toNanos();
        double lag;
        while ((lag = exportLag()) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seconds >= 1) {
            System.out.printf(Locale.ROOT, ">>> settled for %.1f s: history export lag %.0f entries%n", seconds, lag);
        }
    }

    /** The most history entries any coordinator reports not exported yet. */
    private double exportLag() {
        double lag = 0;
        for (URI coordinator : coordinatorActuators) {
            lag = Math.max(lag, Prometheus.scrape(coordinator).sumOr("flowraft_history_export_lag_entries", "", 0));
        }
        return lag;
    }

    /**
     * Counters summed over the coordinators that answer (only the leader proposes, so the sums are its own), and the
     * highest Raft log index any of them holds: its growth is the entries the phase committed.
     */
    record Counters(double rejections, double commands, double commandBytes, double lastIndex,
            Map<String, Double> requests) {

        static Counters read(List<URI> coordinators) {
            double rejections = 0;
            double commands = 0;
            double bytes = 0;
            double lastIndex = 0;
            Map<String, Double> requests = new TreeMap<>();
            for (URI coordinator : coordinators) {
                Prometheus scrape = Prometheus.scrape(coordinator);
                rejections += scrape.sumOr("flowraft_raft_proposals_rejected_total", "", 0);
                commands += scrape.sumOr("flowraft_raft_command_bytes_count", "", 0);
                bytes += scrape.sumOr("flowraft_raft_command_bytes_sum", "", 0);
                lastIndex = Math.max(lastIndex, scrape.sumOr("flowraft_raft_log_last_index", "", 0));
                scrape.sumBy("http_server_requests_seconds_count", "uri").forEach((uri, n) -> requests.merge(uri, n, Double::sum));
            }
            return new Counters(rejections, commands, bytes, lastIndex, requests);
        }

        /** HTTP requests the coordinators served per task run, by URI template, during the phase. */
        static Map<String, Double> requestsPerTask(Counters before, Counters after, double tasks) {
            Map<String, Double> perTask = new TreeMap<>();
            after.requests().forEach((uri, n) -> {
                double served = n - before.requests().getOrDefault(uri, 0.0);
                if (served > 0 && tasks > 0 && !uri.startsWith("/actuator")) {
                    perTask.put(uri, Math.round(served / tasks * 1000) / 1000.0);
                }
            });
            return perTask;
        }
    }
}
