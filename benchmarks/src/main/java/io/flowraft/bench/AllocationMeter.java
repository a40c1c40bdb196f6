package io.flowraft.bench;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Bytes allocated by the benchmark thread between the end of an invocation's setup and the start of its
 * teardown, i.e. by the measured commands only. {@code -prof gc} cannot tell that apart for benchmarks that
 * rebuild their engine in a {@code Level.Invocation} setup: its {@code gc.alloc.rate.norm} also counts the
 * setup's allocation. The figure is reset every iteration and printed once per trial from the last
 * (measurement) iteration.
 */
final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String label;
    private long startedAt;
    private long bytes;
    private long ops;

    AllocationMeter(BenchmarkParams params) {
        StringBuilder name = new StringBuilder(params.getBenchmark().replace("io.flowraft.bench.", ""));
        for (String key : params.getParamsKeys()) {
            name.append(' ').append(key).append('=').append(params.getParam(key));
        }
        this.label = name.toString();
    }

    void reset() {
        bytes = 0;
        ops = 0;
    }

    /** Call last in the invocation setup. */
    void start() {
        startedAt = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Call first in the invocation teardown. */
    void stop(long opsDone) {
        bytes += THREADS.getCurrentThreadAllocatedBytes() - startedAt;
        ops += opsDone;
    }

    void print() {
        if (ops > 0) {
            System.out.printf("%n[alloc] %s: %.0f bytes allocated per op in the measured part (last iteration, %d ops)%n",
                    label, (double) bytes / ops, ops);
        }
    }
}
