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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * LeaseTasks granting 1 or 32 tasks of one type per command. Before each invocation (not measured) a fresh
 * engine gets a backlog of {@value #READY_TASKS}+ READY tasks (820 flat 10-task workflows from a registered
 * definition); the invocation then drains {@value #READY_TASKS} of them, oldest READY first, with LeaseTasks
 * commands that each grant exactly 1 ({@value #READY_TASKS} commands) or 32 ({@value #COMMANDS_OF_32}
 * commands) leases. Every poll carries its own poll id, as the REST layer's do, so each grant is also
 * remembered for an idempotent retry. One op = one LeaseTasks command; the {@code tasks} counter is leases
 * granted per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class LeaseBenchmark extends AllocationMeasured {

    static final int READY_TASKS = 8_192;
    static final int COMMANDS_OF_32 = READY_TASKS / 32;
    private static final String DEFINITION = "flat";

    private final LeaseTasks[] leaseOne = Fixtures.polls(READY_TASKS, 1);
    private final LeaseTasks[] lease32 = Fixtures.polls(COMMANDS_OF_32, 32);
    private SubmitWorkflow[] submits;
    private Fixtures.Driver driver;

    /** Leases granted, reported per second next to the command rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Granted {
        public long tasks;
    }

    @Setup(Level.Trial)
    public void commands() {
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
        alloc.start();
    }

    @Benchmark
    @OperationsPerInvocation(READY_TASKS)
    public void oneTaskPerLease(Granted granted, Blackhole bh) {
        drain(leaseOne, 1, granted, bh);
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS_OF_32)
    public void thirtyTwoTasksPerLease(Granted granted, Blackhole bh) {
        drain(lease32, 32, granted, bh);
    }

    private void drain(LeaseTasks[] polls, int perCommand, Granted granted, Blackhole bh) {
        Fixtures.Driver d = driver;
        long count = 0;
        int commands = polls.length;
        for (LeaseTasks poll : polls) {
            LeasesGranted result = (LeasesGranted) d.send(poll);
            count += result.leases().size();
            bh.consume(result);
        }
        if (count != (long) commands * perCommand) {
            throw new IllegalStateException("Granted " + count + " leases, expected " + (long) commands * perCommand);
        }
        granted.tasks += count;
    }
}
