package io.flowraft.bench;

import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CompleteTask of the first task of a 10-task chain, which makes the second one READY. Before each
 * invocation (not measured) a fresh engine gets {@value #BATCH} chain workflows from a registered definition
 * and every first task is leased; the invocation then completes those {@value #BATCH} leases. With
 * {@code condition=cel} every chain task after the first carries {@code when: input.amount > 100}, so each
 * completion also evaluates one CEL condition (compiled once, at registration). One op = one CompleteTask.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CompleteBenchmark extends AllocationMeasured {

    static final int BATCH = 1_000;
    private static final String DEFINITION = "chain";

    @Param({"none", "cel"})
    public String condition;

    private SubmitWorkflow[] submits;
    private CompleteTask[] completes;
    private Fixtures.Driver driver;

    @Setup(Level.Trial)
    public void commands() {
        submits = new SubmitWorkflow[BATCH];
        for (int i = 0; i < BATCH; i++) {
            submits[i] = Fixtures.submitDefinition(Fixtures.workflowId(i), DEFINITION);
        }
        completes = new CompleteTask[BATCH];
    }

    @Setup(Level.Invocation)
    public void leasedFirstTasks() {
        driver = new Fixtures.Driver()
                .register(DEFINITION, Fixtures.chain(10, "cel".equals(condition) ? Fixtures.CONDITION : null));
        for (SubmitWorkflow submit : submits) {
            driver.send(submit);
        }
        List<GrantedLease> leases = driver.lease(BATCH);
        if (leases.size() != BATCH) {
            throw new IllegalStateException("Leased " + leases.size() + " first tasks, expected " + BATCH);
        }
        // The lease ids (fencing tokens) are the same for every fresh engine, but build the commands anyway.
        for (int i = 0; i < BATCH; i++) {
            completes[i] = Fixtures.complete(leases.get(i).leaseId());
        }
        alloc.start();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void completeMakesNextReady(Blackhole bh) {
        Fixtures.Driver d = driver;
        for (CompleteTask complete : completes) {
            bh.consume(d.send(complete));
        }
    }
}
