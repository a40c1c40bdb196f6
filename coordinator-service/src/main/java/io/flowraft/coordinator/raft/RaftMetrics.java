package io.flowraft.coordinator.raft;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The Raft side of /actuator/prometheus: indexes, leader changes, apply latency, batching, backpressure. */
final class RaftMetrics {

    private final AtomicLong appliedIndex = new AtomicLong();
    private final Counter leaderChanges;
    private final Timer applyLatency;
    private final DistributionSummary commandsPerEntry;
    private final Counter overloaded;
    private final Counter outcomeUnknown;
    private final DistributionSummary snapshotBytes;

    RaftMetrics(MeterRegistry registry) {
        registry.gauge("flowraft.raft.applied.index", appliedIndex);
        leaderChanges = Counter.builder("flowraft.raft.leader.changes")
                .description("Times this node saw a new leader (including itself)").register(registry);
        applyLatency = Timer.builder("flowraft.raft.apply")
                .description("Time to apply one log entry to the engine").publishPercentileHistogram().register(registry);
        commandsPerEntry = DistributionSummary.builder("flowraft.raft.entry.commands")
                .description("Commands batched into one log entry").register(registry);
        overloaded = Counter.builder("flowraft.raft.proposals.rejected")
                .description("Proposals refused with 429 because too many were in flight").register(registry);
        outcomeUnknown = Counter.builder("flowraft.raft.proposals.unknown")
                .description("Proposals whose commit outcome was unknown (timeout, leader change)").register(registry);
        snapshotBytes = DistributionSummary.builder("flowraft.raft.snapshot.bytes").baseUnit("bytes").register(registry);
    }

    void applied(long index, int commands, long nanos) {
        appliedIndex.set(index);
        commandsPerEntry.record(commands);
        applyLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void leaderChanged() {
        leaderChanges.increment();
    }

    void overloaded() {
        overloaded.increment();
    }

    void outcomeUnknown() {
        outcomeUnknown.increment();
    }

    void snapshotSaved(long bytes) {
        snapshotBytes.record(bytes);
    }
}
