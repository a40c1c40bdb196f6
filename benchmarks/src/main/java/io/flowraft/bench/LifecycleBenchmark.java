package io.flowraft.bench;

import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.state.WorkflowState;
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
 * The whole life of {@value #WORKFLOWS} 10-task chain workflows started from a registered definition:
 * {@value #WORKFLOWS} submits, then one worker leasing one task at a time and completing it until every
 * workflow is COMPLETED, i.e. 21 commands per workflow (submit + 10 leases + 10 completes), interleaved
 * across workflows the way a worker pool would see them (oldest READY first), each poll with its own poll id
 * as the REST layer sends them. Each invocation runs on a
 * fresh engine that already holds the definition. One op = one command; {@code workflows} counts finished
 * workflows per second (= ops/s ÷ 21).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class LifecycleBenchmark extends AllocationMeasured {

    static final int WORKFLOWS = 100;
    static final int TASKS = 10;
    static final int COMMANDS_PER_WORKFLOW = 1 + 2 * TASKS;
    private static final String DEFINITION = "chain";

    private SubmitWorkflow[] submits;
    private final LeaseTasks[] polls = Fixtures.polls(WORKFLOWS * TASKS, 1);
    private Fixtures.Driver driver;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Finished {
        public long workflows;
    }

    @Setup(Level.Trial)
    public void commands() {
        submits = new SubmitWorkflow[WORKFLOWS];
        for (int i = 0; i < WORKFLOWS; i++) {
            submits[i] = Fixtures.submitDefinition(Fixtures.workflowId(i), DEFINITION);
        }
    }

    @Setup(Level.Invocation)
    public void freshEngine() {
        driver = new Fixtures.Driver().register(DEFINITION, Fixtures.chain(TASKS, null));
        alloc.start();
    }

    @TearDown(Level.Invocation)
    public void allCompleted() {
        for (SubmitWorkflow submit : submits) {
            WorkflowState workflow = driver.engine.state().workflow(submit.workflowId());
            if (workflow.status() != WorkflowStatus.COMPLETED) {
                throw new IllegalStateException(submit.workflowId() + " is " + workflow.status());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(WORKFLOWS * COMMANDS_PER_WORKFLOW)
    public void chainOf10(Finished finished, Blackhole bh) {
        Fixtures.Driver d = driver;
        for (SubmitWorkflow submit : submits) {
            bh.consume(d.send(submit));
        }
        for (int i = 0; i < WORKFLOWS * TASKS; i++) {
            List<GrantedLease> leases = ((LeasesGranted) d.send(polls[i])).leases();
            bh.consume(d.send(Fixtures.complete(leases.getFirst().leaseId())));
        }
        finished.workflows += WORKFLOWS;
    }
}
