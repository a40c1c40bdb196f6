package io.flowraft.bench.peer;

import java.util.Locale;

/** The peer's section of {@code results.md}. */
public final class PeerMarkdown {

    private PeerMarkdown() {
    }

    /** The section; {@code comparison} is {@code null} when no FlowRaft run was measured (or either ran nothing). */
    public static String section(PeerBaseline peer, PeerComparison comparison) {
        StringBuilder md = new StringBuilder();
        md.append("\n## PostgreSQL job-queue peer (same run)\n\n");
        md.append(String.format(Locale.ROOT, "%s on %s at `%s`: **one node, in-process workers, no replication**. "
                        + "Chain of %d no-op steps, closed loop at %d workflows in flight, %,d measured after %,d "
                        + "warm-up; %d worker threads, %d pooled connections, %s polling every %d ms with immediate "
                        + "execution; %s. Each run on a fresh table; median of %d runs by tasks/s.%n%n",
                peer.library(), peer.server(), peer.jdbcUrl(), ChainStep.STEPS, peer.clients(), peer.workflows(),
                peer.warmup(), peer.threads(), peer.connections(), polling(peer.polling()), peer.pollIntervalMs(),
                chaining(peer.chaining()), peer.runs().size()));
        md.append("Latency = first step scheduled → last step's row deleted, ms (p50 / p90 / p99 / max).\n\n");
        md.append("| run | done/unfinished | steps not run exactly once | workflows/s | tasks/s | latency | JVM CPU s "
                + "| PostgreSQL CPU s |\n|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (int i = 0; i < peer.runs().size(); i++) {
            PeerRun r = peer.runs().get(i);
            Percentiles l = r.latency();
            md.append(String.format(Locale.ROOT, "| %d%s | %d/%d | %d | %.0f | %.0f | %s / %s / %s / %s | %.1f | %s |%n",
                    i + 1, r == peer.median() ? " (median)" : "", r.completed(), r.unfinished(),
                    r.stepsNotExactlyOnce(), r.workflowsPerSecond(), r.tasksPerSecond(), num(l.p50()), num(l.p90()),
                    num(l.p99()), num(l.max()), r.jvmCpuSeconds(), r.postgresCpuSeconds() == null ? "–"
                            : String.format(Locale.ROOT, "%.1f", r.postgresCpuSeconds())));
        }
        PeerRun median = peer.median();
        md.append(String.format(Locale.ROOT, "%nPeer: **%.0f tasks/s**, latency p50 %.1f ms, p99 %.1f ms.%n",
                median.tasksPerSecond(), median.latency().p50(), median.latency().p99()));
        if (comparison != null) {
            md.append(String.format(Locale.ROOT, "FlowRaft ÷ peer: %.0f ÷ %.0f tasks/s = **%.2f**.%n%n",
                    comparison.flowRaftTasksPerSecond(), comparison.peerTasksPerSecond(), comparison.ratio()));
            md.append("What differs: ").append(comparison.differences()).append('\n');
        }
        return md.toString();
    }

    private static String polling(String polling) {
        return polling.equals(PeerSettings.Polling.FETCH.name()) ? "fetch (the default)" : "lock-and-fetch";
    }

    private static String chaining(String chaining) {
        return chaining.equals(PeerSettings.Chaining.CLIENT.name())
                ? "each step schedules the next through the scheduler client, then its row is deleted (two transactions)"
                : "each step's completion replaces its row with the next step (one UPDATE: both commit together)";
    }

    private static String num(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }
}
