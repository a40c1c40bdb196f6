package io.flowraft.bench.peer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the peer's workers did, counted in memory beside the database: how many times each step of each workflow
 * ran (a step run twice, or never, is a correctness failure the throughput figure would hide), and a future per
 * workflow that its last step's completion completes, which is what a client waits on.
 */
final class StepLedger {

    private final int workflows;
    private final AtomicIntegerArray executions;
    private final AtomicReferenceArray<CompletableFuture<Void>> finished;

    /** A ledger for workflows {@code 0 .. workflows - 1}. */
    StepLedger(int workflows) {
        this.workflows = workflows;
        this.executions = new AtomicIntegerArray(workflows * ChainStep.STEPS);
        this.finished = new AtomicReferenceArray<>(workflows);
    }

    /** What a client awaits after it scheduled the workflow's first step; call before scheduling it. */
    CompletableFuture<Void> expect(int workflow) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (!finished.compareAndSet(workflow, null, future)) {
            throw new IllegalStateException("workflow " + workflow + " started twice");
        }
        return future;
    }

    /** A worker ran this step (counted before its completion is written, as a real side effect would happen). */
    void executed(ChainStep step) {
        executions.incrementAndGet(step.workflow() * ChainStep.STEPS + step.step() - 1);
    }

    /** The workflow's last step completed and its row is gone. */
    void finished(int workflow) {
        CompletableFuture<Void> future = finished.get(workflow);
        if (future != null) {
            future.complete(null);
        }
    }

    /** Step executions of workflows {@code from .. to - 1}. */
    long executions(int from, int to) {
        long sum = 0;
        for (int i = from * ChainStep.STEPS; i < to * ChainStep.STEPS; i++) {
            sum += executions.get(i);
        }
        return sum;
    }

    /** Steps of the workflows started so far that ran other than exactly once. */
    int notExactlyOnce() {
        int wrong = 0;
        for (int workflow = 0; workflow < workflows; workflow++) {
            if (finished.get(workflow) == null) {
                continue;
            }
            for (int step = 0; step < ChainStep.STEPS; step++) {
                if (executions.get(workflow * ChainStep.STEPS + step) != 1) {
                    wrong++;
                }
            }
        }
        return wrong;
    }
}
