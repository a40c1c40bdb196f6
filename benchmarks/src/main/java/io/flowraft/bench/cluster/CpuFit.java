package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Process;
import io.flowraft.bench.cluster.BenchReport.Run;
import java.util.List;

/**
 * The coordinators' CPU split into a fixed part and a part per task, from runs of one cluster at several rates
 * (the closed-loop run and its open-loop runs at fractions of its rate): a least-squares line through (tasks/s,
 * coordinator CPU seconds per second). The fixed part is what the coordinators burn whatever the load (tickers,
 * scrapes, exporters, a JIT still compiling); the slope is what one more task costs. Needs two rates at least.
 *
 * @param runs how many runs the line goes through
 * @param fixedCores the intercept: coordinator CPU per second at no load, in cores
 * @param msPerTask the slope: coordinator CPU per task, in milliseconds
 */
record CpuFit(int runs, double fixedCores, double msPerTask) {

    /** The fit through {@code runs}, or {@code null} with fewer than two distinct rates. */
    static CpuFit of(List<Run> runs) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Run run : runs) {
            if (run.seconds() <= 0) {
                continue;
            }
            double x = run.tasksPerSecond();
            double y = run.processes().stream().filter(p -> p.name().startsWith("coordinator"))
                    .mapToDouble(Process::cpuSeconds).sum() / run.seconds();
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        if (n < 2 || Math.abs(denominator) < 1e-9) {
            return null;
        }
        double slope = (n * sxy - sx * sy) / denominator;
        double intercept = (sy - slope * sx) / n;
        return new CpuFit(n, intercept, slope * 1000);
    }
}
