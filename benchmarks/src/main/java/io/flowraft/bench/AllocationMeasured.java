package io.flowraft.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The allocation-meter lifecycle the engine benchmarks share: the meter is made per trial, reset per
 * iteration, stopped after each invocation and printed at the end. A subclass calls {@code alloc.start()} as
 * the last step of its own invocation setup, so only the measured commands are counted.
 */
public abstract class AllocationMeasured {

    protected AllocationMeter alloc;
    private long opsPerInvocation;

    @Setup(Level.Trial)
    public void createAllocationMeter(BenchmarkParams params) {
        alloc = new AllocationMeter(params);
        opsPerInvocation = params.getOpsPerInvocation();
    }

    @Setup(Level.Iteration)
    public void resetAllocation() {
        alloc.reset();
    }

    @TearDown(Level.Invocation)
    public void stopAllocation() {
        alloc.stop(opsPerInvocation);
    }

    @TearDown(Level.Trial)
    public void printAllocation() {
        alloc.print();
    }
}
