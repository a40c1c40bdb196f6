package io.flowraft.bench.peer;

import org.HdrHistogram.Histogram;

/** Percentiles in milliseconds of a latency histogram kept in microseconds, as the cluster report gives them. */
public record Percentiles(long count, double p50, double p90, double p99, double max) {

    static Percentiles of(Histogram micros) {
        if (micros == null || micros.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
