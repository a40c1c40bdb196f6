package io.flowraft.bench;

import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.TaskSpec;
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
 * SubmitWorkflow of a 10-task DAG: a chain (t0 → … → t9) or a fan-out (split → 8 → join), either inline
 * (validated on every submit) or naming a registered definition (validated once, at registration: the
 * realistic path). One op = one SubmitWorkflow applied; each invocation applies {@value #BATCH} submits to a
 * fresh engine built (and, for the definition path, given its definition) outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SubmitBenchmark extends AllocationMeasured {

    static final int BATCH = 4_000;
    private static final String DEFINITION = "bench";

    @Param({Fixtures.CHAIN, Fixtures.FANOUT})
    public String shape;

    private SubmitWorkflow[] inline;
    private SubmitWorkflow[] fromDefinition;
    private List<TaskSpec> tasks;
    private Fixtures.Driver driver;

    @Setup(Level.Trial)
    public void commands() {
        tasks = Fixtures.dag(shape);
        inline = new SubmitWorkflow[BATCH];
        fromDefinition = new SubmitWorkflow[BATCH];
        for (int i = 0; i < BATCH; i++) {
            inline[i] = Fixtures.submitInline(Fixtures.workflowId(i), tasks);
            fromDefinition[i] = Fixtures.submitDefinition(Fixtures.workflowId(i), DEFINITION);
        }
    }

    @Setup(Level.Invocation)
    public void freshEngine() {
        driver = new Fixtures.Driver().register(DEFINITION, tasks);
        alloc.start();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void inlineDag(Blackhole bh) {
        apply(inline, bh);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void fromDefinition(Blackhole bh) {
        apply(fromDefinition, bh);
    }

    private void apply(SubmitWorkflow[] commands, Blackhole bh) {
        Fixtures.Driver d = driver;
        for (SubmitWorkflow command : commands) {
            bh.consume(d.send(command));
        }
    }
}
