package io.flowraft.bench.cluster;

import io.flowraft.bench.peer.PeerBaseline;
import io.flowraft.bench.peer.PeerComparison;
import io.flowraft.bench.peer.PeerMarkdown;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Everything one {@code ./flowraft bench} measured, written as {@code results.json} and {@code results.md}. */
final class BenchReport {

    /** Percentiles in milliseconds of one latency histogram (kept in microseconds); {@code count} samples. */
    record Latency(long count, double p50, double p90, double p99, double max) {

        static Latency of(Histogram micros) {
            if (micros == null || micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
        }

        private static double ms(long micros) {
            return Math.round(micros / 10.0) / 100.0;
        }
    }

    /** {@code jitSeconds}, {@code gcPauseSeconds}: JIT compile time and GC pauses in the phase; -1 when not known. */
    record Process(String name, double cpuSeconds, double peakHeapMiB, double jitSeconds, double gcPauseSeconds) {
    }

    /**
     * What the leader's Raft layer saw during the phase (the raw baseline is run at its in-flight depth and
     * command size): commands and log entries per task (an entry carries every command the proposer packed into
     * it; each entry costs an fsync and a replication round), and the HTTP requests the coordinators served per
     * task, by URI (forwarded ones count twice).
     */
    record RaftLoad(double meanProposalsInFlight, double meanCommandBytes, double commandsPerTask,
            double entriesPerTask, java.util.Map<String, Double> httpRequestsPerTask) {
    }

    /** {@code --kill-leader}: the window without acknowledged submits around the SIGKILL. */
    record Failover(String killed, long newLeaderMs, long unavailableMs, int acknowledgedLost) {
    }

    record Run(String name, String shape, String load, int coordinators, int workers, int workflows, int completed,
            int otherFinish, int lost, int unfinished, double seconds, double workflowsPerSecond, double tasksPerSecond,
            Latency submitAck, Latency dispatch, Latency reportCommitted, Latency submitToFinish, long http429,
            long coordinatorRejections, long resends, RaftLoad raft, List<Process> processes, Failover failover) {
    }

    record RawRaft(int inFlight, int entryBytes, double seconds, double commitsPerSecond, Latency commit) {
    }

    /**
     * {@code --memory}. Heap is used heap after a full GC, per coordinator, before and after the active workflows
     * were submitted; a small {@code activeWorkflows} gives a per-10k figure within the noise of a few MiB.
     * {@code catchUpMs}: from a wiped follower's launch until it applied everything, process start included
     * ({@code catchUpStartedMs}: until its HTTP port answered); {@code restartMs} and {@code restartStartedMs}: the
     * same follower restarted with its data, for comparison.
     */
    record Memory(int activeWorkflows, double heapMiBPer10k, List<Double> heapMiBPer10kPerCoordinator,
            List<Double> heapMiBBefore, List<Double> heapMiBAfter, int snapshotWorkflows, long snapshotBytes,
            long snapshotSaveMs, double snapshotLoadMs, long catchUpMs, long catchUpStartedMs, long restartMs,
            long restartStartedMs, long catchUpEntries, StatusUnderLoad.Result statusUnderLoad) {
    }

    /**
     * {@code --soak}: tasks/s with history on and off (alternated rounds, {@code historyCost} = 1 - on/off over
     * their sums), then the long run: a sample row every interval (heap after a full GC per coordinator in MiB, the
     * leader's state in bytes as the budget counts it, a snapshot's size and save time, the export lag's maximum
     * since the previous row), the lag's maximum over the whole run, how long after the load the state was back to
     * what it held before it (export caught up and both retentions passed), and where the first workflow read back from at the end (it must be {@code history}).
     */
    record Soak(int workflows, double seconds, double workflowsPerSecond, int lost, int unfinished, long retentionMs,
            long keyRetentionMs, List<SoakComparison> comparison, double historyCost, List<SoakSample> samples,
            long lagEntriesMax, double lagSecondsMax, long drainMs, String firstWorkflowSource,
            String firstWorkflowStatus, long completedInPostgres) {
    }

    record SoakComparison(int round, int workflows, double tasksPerSecondOff, double tasksPerSecondOn) {
    }

    record SoakSample(double minutes, long workflows, long workflowsPerSecond, List<Double> heapMiBAfterGc,
            long stateBytes, long snapshotBytes, long snapshotSaveMs, long lagEntriesMax, double lagSecondsMax) {

        double heapMiBMax() {
            return heapMiBAfterGc.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    record Target(String what, String target, String reached, boolean met) {
    }

    String commit;
    String startedAt;
    String machine;
    String command;
    final List<Run> runs = new ArrayList<>();
    RawRaft rawRaft;
    Double engineCostRatio;
    Memory memory;
    Soak soak;
    /** {@code --peer}: the PostgreSQL job queue on the same load, and FlowRaft's main run against it. */
    PeerBaseline peer;
    PeerComparison peerComparison;
    final List<Target> targets = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    record Json(String commit, String startedAt, String machine, String command, List<Run> runs, RawRaft rawRaft,
            Double engineCostRatio, Memory memory, Soak soak, PeerBaseline peer, PeerComparison peerComparison,
            List<Target> targets, List<String> notes) {
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), FlowRaftJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(new Json(commit, startedAt, machine, command, runs, rawRaft, engineCostRatio, memory,
                        soak, peer, peerComparison, targets, notes)));
        Files.writeString(dir.resolve("results.md"), markdown());
        if (soak != null) {
            SoakCharts.write(soak, dir);
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ./flowraft bench\n\n");
        md.append("- commit `").append(commit).append("`, started ").append(startedAt).append('\n');
        md.append("- machine: ").append(machine).append('\n');
        md.append("- command: `").append(command).append("`\n\n");
        if (runs.isEmpty()) {
            return md.append(soak == null ? "" : SoakCharts.markdown(soak)).append(peerSection())
                    .append(targetsAndNotes()).toString();
        }
        md.append("## Throughput and latency\n\n");
        md.append("Latencies in ms (p50 / p90 / p99 / max). Dispatch = READY → leased; report = a worker's report → "
                + "committed answer; finish = submit → workflow finished.\n\n");
        md.append("| run | load | coord | workers | done/lost | workflows/s | tasks/s | submit→ack | dispatch | "
                + "report→commit | submit→finish | 429s |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---|---|---|---|---:|\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d/%d | %.0f | %.0f | %s | %s | %s | %s | %d |%n",
                    r.name(), r.load(), r.coordinators(), r.workers(), r.completed(), r.lost(), r.workflowsPerSecond(),
                    r.tasksPerSecond(), cell(r.submitAck()), cell(r.dispatch()), cell(r.reportCommitted()),
                    cell(r.submitToFinish()), r.http429()));
        }
        md.append("\n## CPU and heap per process\n\nJIT s: the JIT compiler threads' time in the run, summed over "
                + "them and elapsed, not CPU (`jvm_compilation_time_ms_total`): on a busy machine it can exceed the "
                + "process's CPU s; GC s: GC pauses (`jvm_gc_pause_seconds_sum`).\n\n"
                + "| run | process | CPU s | JIT s | GC s | peak heap MiB |\n|---|---|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            for (Process p : r.processes()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %s |%n", r.name(), p.name(),
                        p.cpuSeconds(), seconds(p.jitSeconds()), seconds(p.gcPauseSeconds()),
                        p.peakHeapMiB() > 0 ? String.format(Locale.ROOT, "%.0f", p.peakHeapMiB()) : "–"));
            }
        }
        CpuFit fit = CpuFit.of(runs.stream().filter(r -> r.name().startsWith("main")).toList());
        if (fit != null) {
            md.append(String.format(Locale.ROOT, "%n## CPU: fixed and per task%n%nA least-squares line through the "
                    + "main runs' coordinator CPU per second against tasks/s (%d runs at different rates): **%.2f cores "
                    + "whatever the load, plus %.2f ms per task**.%n", fit.runs(), fit.fixedCores(), fit.msPerTask()));
        }
        List<Run> failovers = runs.stream().filter(r -> r.failover() != null).toList();
        if (!failovers.isEmpty()) {
            md.append("\n## Leader killed mid-run\n\n| run | killed | new leader after ms | no acks for ms | "
                    + "acknowledged but lost |\n|---|---|---:|---:|---:|\n");
            for (Run r : failovers) {
                Failover f = r.failover();
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d |%n", r.name(), f.killed(), f.newLeaderMs(),
                        f.unavailableMs(), f.acknowledgedLost()));
            }
        }
        if (rawRaft != null) {
            md.append(String.format(Locale.ROOT, "%n## Raw SOFAJRaft baseline (same run)%n%n3 nodes in one JVM, fsync on, "
                            + "%d entries of %d bytes in flight: **%.0f commits/s** (commit p50 %.2f ms, p99 %.2f ms).%n",
                    rawRaft.inFlight(), rawRaft.entryBytes(), rawRaft.commitsPerSecond(), rawRaft.commit().p50(),
                    rawRaft.commit().p99()));
            if (engineCostRatio != null) {
                md.append(String.format(Locale.ROOT, "Engine cost ratio: tasks/s ÷ raw commits/s = **%.3f** (%.1f %%).%n",
                        engineCostRatio, engineCostRatio * 100));
            }
        }
        if (memory != null) {
            Memory m = memory;
            md.append(String.format(Locale.ROOT, "%n## Memory and snapshots%n%n| measure | value |%n|---|---:|%n"
                            + "| heap per 10,000 active 10-task workflows (max over coordinators) | %.1f MiB |%n"
                            + "| snapshot of %,d workflows | %,d bytes |%n| snapshot save | %d ms |%n"
                            + "| snapshot load (wiped follower) | %.0f ms |%n"
                            + "| wiped follower launched → caught up (%,d entries) | %d ms |%n"
                            + "| of which launched → HTTP answers (process start) | %d ms |%n"
                            + "| the same follower restarted with its data → caught up | %d ms |%n"
                            + "| of which launched → HTTP answers | %d ms |%n",
                    m.heapMiBPer10k(), m.snapshotWorkflows(), m.snapshotBytes(), m.snapshotSaveMs(), m.snapshotLoadMs(),
                    m.catchUpEntries(), m.catchUpMs(), m.catchUpStartedMs(), m.restartMs(), m.restartStartedMs()));
            StatusUnderLoad.Result s = m.statusUnderLoad();
            if (s != null) {
                md.append(String.format(Locale.ROOT, "| submit p50/p99 with %,d workflows held, alone | %.2f / %.2f ms |%n"
                                + "| the same while %d threads read `GET /api/v1/cluster` | %.2f / %.2f ms |%n"
                                + "| p99 ratio (polled ÷ alone) | %.2f |%n"
                                + "| `GET /api/v1/cluster` on the leader, p50/p99 (%,d reads) | %.2f / %.2f ms |%n",
                        s.workflowsHeld(), s.submitQuiet().p50(), s.submitQuiet().p99(), StatusUnderLoad.POLLERS,
                        s.submitPolled().p50(), s.submitPolled().p99(), s.p99Ratio(), s.status().count(),
                        s.status().p50(), s.status().p99()));
            }
        }
        if (soak != null) {
            md.append(SoakCharts.markdown(soak));
        }
        md.append(peerSection());
        md.append(targetsAndNotes());
        return md.toString();
    }

    private String peerSection() {
        return peer == null ? "" : PeerMarkdown.section(peer, peerComparison);
    }

    private String targetsAndNotes() {
        StringBuilder md = new StringBuilder();
        if (!targets.isEmpty()) {
            md.append("\n## Targets\n\n| what | target | reached | met |\n|---|---|---|---|\n");
            for (Target t : targets) {
                md.append("| ").append(t.what()).append(" | ").append(t.target()).append(" | ").append(t.reached())
                        .append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private static String seconds(double value) {
        return value < 0 ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String cell(Latency l) {
        if (l.count() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%s / %s / %s / %s", num(l.p50()), num(l.p90()), num(l.p99()), num(l.max()));
    }

    private static String num(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }
}
