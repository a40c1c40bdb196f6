package io.flowraft.bench;

import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * LeaseTasks granting {@code tasksPerLease} tasks of one type per command. Before each invocation (not
 * measured) a fresh engine gets {@value #READY_TASKS}+ READY tasks (820 flat 10-task workflows), the same
 * backlog for both parameter values; the invocation then applies {@value #BATCH} lease commands, each
 * granting exactly {@code tasksPerLease} leases, oldest READY first. One op = one LeaseTasks command; the
 * {@code tasks} counter is leases granted per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class LeaseBenchmark {

    static final int BATCH = 256;
    static final int READY_TASKS = BATCH * 32;
    private static final String DEFINITION = "flat";

    @Param({"1", "32"})
    public int tasksPerLease;

    private LeaseTasks lease;
    private SubmitWorkflow[] submits;
    private Fixtures.Driver driver;

    /** Leases granted, reported per second next to the command rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Granted {
        public long tasks;

        @Setup(Level.Iteration)
        public void reset() {
            tasks = 0;
        }
    }

    @Setup(Level.Trial)
    public void commands() {
        lease = Fixtures.lease(tasksPerLease);
        List<TaskSpec> flat = Fixtures.dag(Fixtures.FLAT);
        submits = new SubmitWorkflow[(READY_TASKS + flat.size() - 1) / flat.size()];
        for (int i = 0; i < submits.length; i++) {
            submits[i] = Fixtures.submitDefinition(Fixtures.workflowId(i), DEFINITION);
        }
    }

    @Setup(Level.Invocation)
    public void readyBacklog() {
        driver = new Fixtures.Driver().register(DEFINITION, Fixtures.dag(Fixtures.FLAT));
        for (SubmitWorkflow submit : submits) {
            driver.send(submit);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lease(Granted granted, Blackhole bh) {
        Fixtures.Driver d = driver;
        long count = 0;
        for (int i = 0; i < BATCH; i++) {
            LeasesGranted result = (LeasesGranted) d.send(lease);
            count += result.leases().size();
            bh.consume(result);
        }
        if (count != (long) BATCH * tasksPerLease) {
            throw new IllegalStateException("Granted " + count + " leases, expected " + (long) BATCH * tasksPerLease);
        }
        granted.tasks += count;
    }
}
