package io.flowraft.bench;

import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.EngineLimits;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Snapshot and restore of an engine holding {@code workflows} active 10-task chain workflows (from one
 * registered definition), built once per trial and never changed: every workflow has t0 COMPLETED, every
 * other workflow has t1 LEASED and the rest t1 READY; t2..t9 are PENDING. Restore includes rebuilding the
 * derived indexes and constructing the engine (its CEL environment included). The snapshot size is printed
 * by the trial setup (JMH counters cannot report a gauge).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SnapshotBenchmark {

    private static final String DEFINITION = "chain";
    private static final int MAX_PER_POLL = EngineLimits.DEFAULT.maxLeasesPerPoll();

    @Param({"10000"})
    public int workflows;

    private Engine engine;
    private byte[] snapshot;

    @Setup(Level.Trial)
    public void activeWorkflows() {
        Fixtures.Driver d = new Fixtures.Driver().register(DEFINITION, Fixtures.chain(10, null));
        for (int i = 0; i < workflows; i++) {
            d.send(Fixtures.submitDefinition(Fixtures.workflowId(i), DEFINITION));
        }
        // Lease (at most 1,000 per poll, the engine's limit) and complete every t0.
        for (int done = 0; done < workflows; ) {
            List<GrantedLease> leases = d.lease(Math.min(MAX_PER_POLL, workflows - done));
            if (leases.isEmpty()) {
                throw new IllegalStateException("Ran out of READY first tasks after " + done);
            }
            for (GrantedLease lease : leases) {
                d.send(Fixtures.complete(lease.leaseId()));
            }
            done += leases.size();
        }
        // Lease half of the t1s, oldest first.
        for (int leased = 0; leased < workflows / 2; ) {
            int got = d.lease(Math.min(MAX_PER_POLL, workflows / 2 - leased)).size();
            if (got == 0) {
                throw new IllegalStateException("Ran out of READY second tasks after " + leased);
            }
            leased += got;
        }
        engine = d.engine;
        snapshot = engine.snapshot();
        if (!Engine.restore(snapshot).digest().equals(engine.digest())) {
            throw new IllegalStateException("Restored engine differs from the original");
        }
        System.out.printf("%nSnapshot of %d active 10-task workflows: %d bytes (%.1f bytes per workflow)%n",
                workflows, snapshot.length, (double) snapshot.length / workflows);
    }

    @Benchmark
    public byte[] snapshot() {
        return engine.snapshot();
    }

    @Benchmark
    public Engine restore() {
        return Engine.restore(snapshot);
    }
}

