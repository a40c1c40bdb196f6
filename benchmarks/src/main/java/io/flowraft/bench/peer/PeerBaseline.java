package io.flowraft.bench.peer;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The peer baseline as the report gives it: the setup, every repetition, and the median one by tasks/s (one
 * run's figures together, rather than medians taken apart from runs that did not happen). Repeated because a
 * single run on a shared two-core machine can land on a noisy moment.
 *
 * @param library e.g. {@code db-scheduler 16.7.1}
 * @param server e.g. {@code PostgreSQL 15.20 (synchronous_commit on, fsync on)}
 * @param jdbcUrl where, without the URL's query
 * @param pollIntervalMs db-scheduler's polling interval (immediate execution is on too)
 */
public record PeerBaseline(String library, String server, String jdbcUrl, String polling, String chaining,
        int threads, int connections, int clients, long pollIntervalMs, int workflows, int warmup, List<PeerRun> runs,
        PeerRun median) {

    /** {@code repetitions} runs of {@code settings}, each on a fresh table, progress printed to {@code out}. */
    public static PeerBaseline measure(PeerSettings settings, int repetitions, PrintStream out) throws SQLException {
        DbSchedulerPeer peer = new DbSchedulerPeer(settings);
        String server = peer.server();
        String library = DbSchedulerPeer.library();
        List<PeerRun> runs = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
            out.printf(Locale.ROOT, ">>> peer %d/%d: %s on %s, chain, %d workflows after %d warm-up, %d in flight, "
                            + "%d threads, %d connections, %s, chaining %s%n", i, repetitions, library, server,
                    settings.workflows(), settings.warmup(), settings.clients(), settings.threads(),
                    settings.connections(), settings.polling(), settings.chaining());
            PeerRun run = peer.run();
            out.printf(Locale.ROOT, "    %d/%d completed, %.0f workflows/s, %.0f tasks/s, finish p50 %.1f ms, p99 %.1f ms, "
                            + "steps not run exactly once %d, JVM CPU %.1f s%n", run.completed(), run.workflows(),
                    run.workflowsPerSecond(), run.tasksPerSecond(), run.latency().p50(), run.latency().p99(),
                    run.stepsNotExactlyOnce(), run.jvmCpuSeconds());
            runs.add(run);
        }
        return new PeerBaseline(library, server, settings.jdbcUrlShown(), settings.polling().name(),
                settings.chaining().name(), settings.threads(), settings.connections(), settings.clients(),
                settings.pollInterval().toMillis(), settings.workflows(), settings.warmup(), List.copyOf(runs),
                median(runs));
    }

    /** The run with the median tasks/s (of an even number, the lower of the middle two: the cautious one). */
    static PeerRun median(List<PeerRun> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<PeerRun> sorted = runs.stream().sorted(Comparator.comparingDouble(PeerRun::tasksPerSecond)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Every run finished every workflow with every step run exactly once. */
    public boolean clean() {
        return runs.stream().allMatch(PeerRun::clean);
    }
}
