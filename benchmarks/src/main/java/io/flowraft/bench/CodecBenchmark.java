package io.flowraft.bench;

import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One log-format round trip: {@link CommandCodec#encode} then {@link CommandCodec#decode} of the same
 * command, as the leader (encode, to propose) and every replica (decode, to apply) do once per entry.
 * One op = one round trip.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CodecBenchmark {

    private CompleteTask complete;
    private SubmitWorkflow submitInline;
    private SubmitWorkflow submitDefinition;

    @Setup(Level.Trial)
    public void commands() {
        String workflowId = Fixtures.workflowId(1234);
        complete = Fixtures.complete(workflowId + ".t3.123456");
        submitInline = Fixtures.submitInline(workflowId, Fixtures.chain(10, null));
        submitDefinition = Fixtures.submitDefinition(workflowId, "chain");
        for (Command c : new Command[] {complete, submitInline, submitDefinition}) {
            if (!CommandCodec.decode(CommandCodec.encode(c)).equals(c)) {
                throw new IllegalStateException("Codec does not round-trip " + c);
            }
        }
    }

    @Benchmark
    public Command completeTask() {
        return CommandCodec.decode(CommandCodec.encode(complete));
    }

    /** A SubmitWorkflow carrying an inline 10-task chain (what an inline API submit puts in the log). */
    @Benchmark
    public Command submitInlineChain() {
        return CommandCodec.decode(CommandCodec.encode(submitInline));
    }

    /** A SubmitWorkflow naming a registered definition. */
    @Benchmark
    public Command submitFromDefinition() {
        return CommandCodec.decode(CommandCodec.encode(submitDefinition));
    }
}
