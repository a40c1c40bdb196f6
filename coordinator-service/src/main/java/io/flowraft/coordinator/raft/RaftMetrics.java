package io.flowraft.coordinator.raft;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The Raft side of /actuator/prometheus: indexes, leader changes, commit and apply latency, batching,
 * backpressure, command sizes, snapshots and the log on disk.
 */
final class RaftMetrics {

    private final MeterRegistry registry;
    private final AtomicLong appliedIndex = new AtomicLong();
    private final Counter leaderChanges;
    private final Timer applyLatency;
    private final Timer commitLatency;
    private final DistributionSummary commandsPerEntry;
    private final Counter overloaded;
    private final Counter outcomeUnknown;
    private final DistributionSummary snapshotBytes;
    private final DistributionSummary commandBytes;
    private final Timer snapshotSave;
    private final Timer snapshotLoad;

    RaftMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("flowraft.raft.applied.index", appliedIndex);
        leaderChanges = Counter.builder("flowraft.raft.leader.changes")
                .description("Times this node saw a new leader (including itself)").register(registry);
        applyLatency = Timer.builder("flowraft.raft.apply")
                .description("Time to apply one log entry to the engine").publishPercentileHistogram().register(registry);
        commitLatency = Timer.builder("flowraft.raft.commit")
                .description("From a command proposed on this node (the leader) to its entry committed and applied here")
                .publishPercentileHistogram().register(registry);
        commandsPerEntry = DistributionSummary.builder("flowraft.raft.entry.commands")
                .description("Commands batched into one log entry").register(registry);
        overloaded = Counter.builder("flowraft.raft.proposals.rejected")
                .description("Proposals refused with 429 because too many were in flight").register(registry);
        outcomeUnknown = Counter.builder("flowraft.raft.proposals.unknown")
                .description("Proposals whose commit outcome was unknown (timeout, leader change)").register(registry);
        snapshotBytes = DistributionSummary.builder("flowraft.raft.snapshot.bytes").baseUnit("bytes").register(registry);
        commandBytes = DistributionSummary.builder("flowraft.raft.command.bytes").baseUnit("bytes")
                .description("Encoded size of each command proposed on this node (the leader)").register(registry);
        snapshotSave = Timer.builder("flowraft.raft.snapshot.save")
                .description("From the start of a snapshot save to its file written and handed back to Raft")
                .register(registry);
        snapshotLoad = Timer.builder("flowraft.raft.snapshot.load")
                .description("Time to load a snapshot into the engine (on restart or when installed from the leader)")
                .register(registry);
    }

    /** @param inFlight commands proposed on this node and not answered yet (waiting to be batched, or in the log) */
    void proposalsInFlight(Supplier<Number> inFlight) {
        Gauge.builder("flowraft.raft.proposals.in.flight", inFlight)
                .description("Commands proposed on this node and not answered yet").register(registry);
    }

    /** @param logDir SOFAJRaft's log directory: its size on disk is read at each scrape */
    void logOnDisk(Path logDir, Supplier<Number> lastLogIndex) {
        Gauge.builder("flowraft.raft.log.bytes", logDir, RaftMetrics::bytesUnder).baseUnit("bytes")
                .description("Size of this node's Raft log on disk (shrinks after a snapshot lets it truncate)")
                .register(registry);
        Gauge.builder("flowraft.raft.log.last.index", lastLogIndex)
                .description("Index of the last entry in this node's Raft log (appended, maybe not committed)")
                .register(registry);
    }

    private static double bytesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(RaftMetrics::sizeOf).sum();
        } catch (IOException | UncheckedIOException e) {
            return Double.NaN; // the directory is being rewritten (RocksDB compaction) or gone: no value this time
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0; // deleted while walking
        }
    }

    void committed(long nanos) {
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void commandProposed(int bytes) {
        commandBytes.record(bytes);
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

    void snapshotSaved(long bytes, long nanos) {
        snapshotBytes.record(bytes);
        snapshotSave.record(nanos, TimeUnit.NANOSECONDS);
    }

    void snapshotLoaded(long nanos) {
        snapshotLoad.record(nanos, TimeUnit.NANOSECONDS);
    }
}
