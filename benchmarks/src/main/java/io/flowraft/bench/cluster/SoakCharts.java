package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Soak;
import io.flowraft.bench.cluster.BenchReport.SoakComparison;
import io.flowraft.bench.cluster.BenchReport.SoakSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The soak's figures over time: a markdown table, {@code soak.csv}, and {@code soak.png} (heap, state, snapshot). */
final class SoakCharts {

    static final String CSV = "soak.csv";
    static final String PLOT = "soak.png";
    private static final double MIB = 1024.0 * 1024.0;

    private SoakCharts() {
    }

    static void write(Soak soak, Path dir) throws IOException {
        Files.writeString(dir.resolve(CSV), csv(soak));
        plot(soak, dir.resolve(PLOT));
    }

    static String csv(Soak soak) {
        StringBuilder csv = new StringBuilder("minutes,workflows,workflows_per_second,heap_mib_after_gc_max,"
                + "heap_mib_after_gc_per_coordinator,state_bytes,snapshot_bytes,snapshot_save_ms,lag_entries_max,"
                + "lag_seconds_max\n");
        for (SoakSample s : soak.samples()) {
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%.1f,%s,%d,%d,%d,%d,%.1f%n", s.minutes(), s.workflows(),
                    s.workflowsPerSecond(), s.heapMiBMax(), String.join(" ", s.heapMiBAfterGc().stream()
                            .map(h -> String.format(Locale.ROOT, "%.1f", h)).toList()), s.stateBytes(),
                    s.snapshotBytes(), s.snapshotSaveMs(), s.lagEntriesMax(), s.lagSecondsMax()));
        }
        return csv.toString();
    }

    static String markdown(Soak soak) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n## Soak: %,d one-task workflows, history on, retention %d s (keys %d s)%n%n",
                soak.workflows(), soak.retentionMs() / 1000, soak.keyRetentionMs() / 1000));
        md.append("History's cost, closed loop on fresh clusters, rounds alternated:\n\n"
                + "| round | workflows | tasks/s without history | tasks/s with history | with ÷ without |\n"
                + "|---:|---:|---:|---:|---:|\n");
        for (SoakComparison c : soak.comparison()) {
            md.append(String.format(Locale.ROOT, "| %d | %,d | %.0f | %.0f | %.2f |%n", c.round(), c.workflows(),
                    c.tasksPerSecondOff(), c.tasksPerSecondOn(),
                    c.tasksPerSecondOff() == 0 ? 0 : c.tasksPerSecondOn() / c.tasksPerSecondOff()));
        }
        md.append(String.format(Locale.ROOT, "%nHistory costs **%.1f %%** of tasks/s (sums over the rounds).%n%n",
                soak.historyCost() * 100));
        md.append(String.format(Locale.ROOT, "The soak: %,d workflows in %.0f s (%.0f/s), %d lost, %d unfinished. "
                        + "Export lag at most %,d entries and %.1f s; the state was back to what it held before the first workflow %.0f s after the load (both retentions passed). The first workflow "
                        + "read back from `%s` (%s); %,d workflows COMPLETED in PostgreSQL.%n%n", soak.workflows(), soak.seconds(),
                soak.workflowsPerSecond(), soak.lost(), soak.unfinished(), soak.lagEntriesMax(), soak.lagSecondsMax(),
                soak.drainMs() / 1000.0, soak.firstWorkflowSource(), soak.firstWorkflowStatus(), soak.completedInPostgres()));
        md.append("| minute | workflows | workflows/s | heap after GC, MiB (each coordinator) | state KiB | "
                + "snapshot KiB | snapshot save ms | lag max (entries / s) |\n|---:|---:|---:|---|---:|---:|---:|---|\n");
        for (SoakSample s : soak.samples()) {
            md.append(String.format(Locale.ROOT, "| %.1f | %,d | %d | %s | %,d | %,d | %d | %d / %.1f |%n", s.minutes(),
                    s.workflows(), s.workflowsPerSecond(), s.heapMiBAfterGc().stream()
                            .map(h -> String.format(Locale.ROOT, "%.0f", h)).toList(), s.stateBytes() / 1024,
                    s.snapshotBytes() / 1024, s.snapshotSaveMs(), s.lagEntriesMax(), s.lagSecondsMax()));
        }
        md.append("\nPlot: `").append(PLOT).append("`; every figure: `").append(CSV).append("`.\n");
        return md.toString();
    }

    private static void plot(Soak soak, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<SoakSample> samples = soak.samples();
        if (samples.size() < 2) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(1000).height(500)
                .title(String.format(Locale.ROOT, "Soak: %,d one-task workflows, 3 coordinators, history on",
                        soak.workflows()))
                .xAxisTitle("minutes").yAxisTitle("MiB").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        double[] minutes = samples.stream().mapToDouble(SoakSample::minutes).toArray();
        int coordinators = samples.get(0).heapMiBAfterGc().size();
        for (int i = 0; i < coordinators; i++) {
            int c = i;
            chart.addSeries("heap after GC, coordinator " + (c + 1), minutes,
                    samples.stream().mapToDouble(s -> s.heapMiBAfterGc().get(c)).toArray()).setMarker(SeriesMarkers.NONE);
        }
        chart.addSeries("replicated state (leader)", minutes,
                samples.stream().mapToDouble(s -> s.stateBytes() / MIB).toArray()).setMarker(SeriesMarkers.NONE);
        chart.addSeries("snapshot", minutes,
                samples.stream().mapToDouble(s -> s.snapshotBytes() / MIB).toArray()).setMarker(SeriesMarkers.NONE);
        chart.setXAxisTitle(String.format(Locale.ROOT, "minutes (%,d workflows in %.0f min)", soak.workflows(),
                soak.seconds() / 60));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
