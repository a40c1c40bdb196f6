package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Run;
import io.flowraft.bench.cluster.BenchReport.Target;
import io.flowraft.contracts.WorkflowView;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The published targets, judged against what this run measured. Reported, never asserted. */
final class Targets {

    private Targets() {
    }

    static void judge(BenchReport report) {
        if (report.soak != null) {
            judgeSoak(report);
        }
        Optional<Run> main = run(report, "main");
        main.filter(r -> r.shape().equals("chain")).ifPresent(r -> report.targets.add(new Target(
                "tasks/s sustained, chain, " + r.workers() + " workers, " + r.coordinators() + " coordinators",
                ">= 5,000", fmt("%.0f", r.tasksPerSecond()), r.tasksPerSecond() >= 5_000)));
        run(report, "main-half-rate").ifPresent(r -> report.targets.add(new Target(
                "p99 dispatch (READY -> leased) at half the sustained rate", "<= 25 ms",
                fmt("%.1f ms", r.dispatch().p99()), r.dispatch().count() > 0 && r.dispatch().p99() <= 25)));
        run(report, "kill-leader").map(Run::failover).ifPresent(f -> report.targets.add(new Target(
                "failover window (no acknowledged submit), default election timeout", "<= 2 s",
                fmt("%d ms (new leader after %d ms), %d acknowledged lost", f.unavailableMs(), f.newLeaderMs(),
                        f.acknowledgedLost()), f.unavailableMs() >= 0 && f.unavailableMs() <= 2_000
                        && f.acknowledgedLost() == 0)));
        if (report.engineCostRatio != null) {
            report.targets.add(new Target("engine cost: tasks/s / raw commits/s", ">= 0.10",
                    fmt("%.3f", report.engineCostRatio), report.engineCostRatio >= 0.10));
        }
        if (report.memory != null) {
            var m = report.memory;
            report.targets.add(new Target("heap per 10,000 active 10-task workflows", "<= 64 MiB",
                    fmt("%.1f MiB", m.heapMiBPer10k()), m.heapMiBPer10k() <= 64));
            report.targets.add(new Target(fmt("snapshot save + load, %,d workflows", m.snapshotWorkflows()), "<= 5 s",
                    fmt("%d + %.0f ms", m.snapshotSaveMs(), m.snapshotLoadMs()),
                    m.snapshotLoadMs() >= 0 && m.snapshotSaveMs() + m.snapshotLoadMs() <= 5_000));
            report.targets.add(new Target(fmt("wiped follower caught up, %,d workflows", m.snapshotWorkflows()), "<= 10 s",
                    fmt("%d ms from launch, of which %d ms process start (%d ms restarted with its data)", m.catchUpMs(),
                            m.catchUpStartedMs(), m.restartMs()),
                    m.catchUpMs() <= 10_000));
        }
    }

    /**
     * The soak's: history's cost, and flatness: heap after GC, the state and a snapshot at the end of the load
     * against half-way through. What the state holds is the retention times the rate, so the first rows, with
     * the JIT still compiling and the rate climbing, are no reference; half-way, the rate is steady.
     */
    private static void judgeSoak(BenchReport report) {
        var soak = report.soak;
        if (!soak.comparison().isEmpty()) {
            report.targets.add(new Target("history's cost in tasks/s (with vs without a database)", "< 15 %",
                    fmt("%.1f %%", soak.historyCost() * 100), soak.historyCost() < 0.15));
        }
        report.targets.add(new Target("first workflow read back after its eviction", "from history",
                soak.firstWorkflowSource(), WorkflowView.HISTORY.equals(soak.firstWorkflowSource())));
        report.targets.add(new Target("every workflow completed and exported", fmt("%,d", soak.workflows()),
                fmt("%,d", soak.completedInPostgres()), soak.completedInPostgres() == soak.workflows()));
        List<BenchReport.SoakSample> loaded = soak.samples().subList(0, Math.max(soak.samples().size() - 1, 0));
        if (loaded.size() < 5) {
            return;
        }
        BenchReport.SoakSample half = loaded.get(loaded.size() / 2);
        BenchReport.SoakSample last = loaded.get(loaded.size() - 1);
        report.targets.add(new Target(fmt("heap after GC flat: at %,d workflows vs at %,d (max over coordinators)",
                last.workflows(), half.workflows()), "<= 1.25x",
                fmt("%.0f vs %.0f MiB", last.heapMiBMax(), half.heapMiBMax()),
                last.heapMiBMax() <= 1.25 * half.heapMiBMax()));
        report.targets.add(new Target(fmt("state and snapshot flat: at %,d workflows vs at %,d", last.workflows(),
                        half.workflows()), "<= 1.5x",
                fmt("state %,d vs %,d KiB, snapshot %,d vs %,d KiB", last.stateBytes() / 1024, half.stateBytes() / 1024,
                        last.snapshotBytes() / 1024, half.snapshotBytes() / 1024),
                last.stateBytes() <= 1.5 * half.stateBytes() && last.snapshotBytes() <= 1.5 * half.snapshotBytes()));
    }

    private static Optional<Run> run(BenchReport report, String name) {
        return report.runs.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
