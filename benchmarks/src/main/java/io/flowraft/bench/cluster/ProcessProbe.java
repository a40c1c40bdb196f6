package io.flowraft.bench.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU and heap of the cluster's processes over one measured phase: CPU seconds from the OS (the process's user
 * + system time, read at the start and end), peak heap from {@code jvm_memory_used_bytes{area="heap"}} sampled
 * every second, and how much of the phase the JIT compiler ({@code jvm_compilation_time_ms_total}) and GC pauses
 * ({@code jvm_gc_pause_seconds_sum}) took, first sample to last: a JIT still compiling is CPU the run pays for. Also samples the leader's proposals in flight, the depth the raw Raft baseline is run at.
 */
final class ProcessProbe implements AutoCloseable {

    /** One process: its name, its OS process and the base URL of its actuator ({@code null}: CPU only). */
    record Watched(String name, ProcessHandle process, URI actuator) {
    }

    /**
     * What one process used during the phase; {@code jitSeconds} and {@code gcPauseSeconds} are -1 for a process
     * without an actuator.
     */
    record Usage(String name, double cpuSeconds, double peakHeapMiB, double jitSeconds, double gcPauseSeconds) {
    }

    /** A counter's first and last value seen during the phase. */
    private static final class Span {
        private double first = Double.NaN;
        private double last = Double.NaN;

        synchronized void seen(double value) {
            if (Double.isNaN(first)) {
                first = value;
            }
            last = value;
        }

        synchronized double delta() {
            return Double.isNaN(first) ? -1 : Math.max(0, last - first);
        }
    }

    private final List<Watched> watched;
    private final Map<String, Duration> cpuAtStart = new LinkedHashMap<>();
    private final Map<String, AtomicLong> peakHeap = new LinkedHashMap<>();
    private final Map<String, Span> jitMillis = new LinkedHashMap<>();
    private final Map<String, Span> gcSeconds = new LinkedHashMap<>();
    /** The last CPU time read per process: a process killed during the phase has none at its end. */
    private final Map<String, AtomicLong> lastCpuNanos = new LinkedHashMap<>();
    private final ScheduledExecutorService sampler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bench-probe").daemon().factory());
    private final List<URI> coordinators;
    private final AtomicLong inFlightSum = new AtomicLong();
    private final AtomicLong inFlightSamples = new AtomicLong();

    ProcessProbe(List<Watched> watched, List<URI> coordinators) {
        this.watched = List.copyOf(watched);
        this.coordinators = List.copyOf(coordinators);
        for (Watched w : watched) {
            cpuAtStart.put(w.name(), cpu(w.process()));
            peakHeap.put(w.name(), new AtomicLong());
            jitMillis.put(w.name(), new Span());
            gcSeconds.put(w.name(), new Span());
            lastCpuNanos.put(w.name(), new AtomicLong(cpuAtStart.get(w.name()).toNanos()));
        }
        sampler.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /** One scrape per process per sample: a scrape costs the process real CPU, which the figures include. */
    private void sample() {
        for (Watched w : watched) {
            lastCpuNanos.get(w.name()).accumulateAndGet(cpu(w.process()).toNanos(), Math::max);
            if (w.actuator() == null) {
                continue;
            }
            Prometheus scrape = Prometheus.scrape(w.actuator());
            scrape.sum("jvm_memory_used_bytes", "area=\"heap\"")
                    .ifPresent(bytes -> peakHeap.get(w.name()).accumulateAndGet((long) bytes, Math::max));
            scrape.sum("jvm_compilation_time_ms_total", "").ifPresent(jitMillis.get(w.name())::seen);
            scrape.sum("jvm_gc_pause_seconds_sum", "").ifPresent(gcSeconds.get(w.name())::seen);
            if (coordinators.contains(w.actuator()) && scrape.sumOr("flowraft_raft_leader", "", 0) == 1) {
                inFlightSum.addAndGet((long) scrape.sumOr("flowraft_raft_proposals_in_flight", "", 0));
                inFlightSamples.incrementAndGet();
            }
        }
    }

    /** The leader's mean number of proposals in flight while sampled (at least 1). */
    double meanProposalsInFlight() {
        long samples = inFlightSamples.get();
        return samples == 0 ? 1 : Math.max(1, (double) inFlightSum.get() / samples);
    }

    /** Stops sampling and answers each process's usage since the probe started. */
    List<Usage> finish() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Usage> usages = new ArrayList<>();
        for (Watched w : watched) {
            long end = lastCpuNanos.get(w.name()).accumulateAndGet(cpu(w.process()).toNanos(), Math::max);
            double cpu = (end - cpuAtStart.get(w.name()).toNanos()) / 1e9;
            double jit = jitMillis.get(w.name()).delta();
            usages.add(new Usage(w.name(), Math.max(cpu, 0), peakHeap.get(w.name()).get() / (1024.0 * 1024.0),
                    jit < 0 ? -1 : jit / 1000, gcSeconds.get(w.name()).delta()));
        }
        return usages;
    }

    /** Zero for a process the harness did not start ({@code --url}): its CPU is not ours to read. */
    private static Duration cpu(ProcessHandle process) {
        return process == null ? Duration.ZERO : process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
