package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Latency;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.client.FlowRaftClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Whether reading the cluster status ({@code GET /api/v1/cluster}: term, indexes, the state digest) costs the
 * apply path anything when the state is large. With the state held by the memory phase, one client submits
 * workflows one at a time to the leader, first alone, then while {@value #POLLERS} threads read the leader's
 * status as fast as they can; the submit latency of the two runs (each a commit and an apply) is compared in the
 * same run, and the status reads are timed. A status that serialized and hashed the whole state under the state
 * lock would stall every apply for as long as that takes.
 */
final class StatusUnderLoad {

    static final int POLLERS = 2;
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(60);

    /**
     * @param submitQuiet   submit → acknowledged, nobody reading the status
     * @param submitPolled  the same while the status is read continuously
     * @param status        one status read on the leader, during the polled run
     */
    record Result(int workflowsHeld, Latency submitQuiet, Latency submitPolled, Latency status) {

        /** p99 submit latency polled ÷ quiet: about 1 when the status costs the apply path nothing. */
        double p99Ratio() {
            return submitQuiet.p99() == 0 ? 0 : submitPolled.p99() / submitQuiet.p99();
        }
    }

    private StatusUnderLoad() {
    }

    static Result measure(FlowRaftClient leader, Shape shape, int workflowsHeld, int submits) throws InterruptedException {
        Histogram quiet = submits(leader, shape, "status-quiet", submits);
        Recorder statusReads = new Recorder(MAX_MICROS, 3);
        AtomicBoolean polling = new AtomicBoolean(true);
        List<Thread> pollers = new ArrayList<>();
        for (int i = 0; i < POLLERS; i++) {
            pollers.add(Thread.ofPlatform().name("status-poller-" + i).start(() -> {
                while (polling.get()) {
                    long started = System.nanoTime();
                    leader.cluster();
                    statusReads.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - started) / 1_000));
                }
            }));
        }
        Histogram polled;
        try {
            polled = submits(leader, shape, "status-polled", submits);
        } finally {
            polling.set(false);
            for (Thread poller : pollers) {
                poller.join();
            }
        }
        Result result = new Result(workflowsHeld, Latency.of(quiet), Latency.of(polled),
                Latency.of(statusReads.getIntervalHistogram()));
        System.out.printf(Locale.ROOT, "    status under load (%,d workflows held): submit p50/p99 %.2f/%.2f ms alone, "
                        + "%.2f/%.2f ms while %d threads read the status (%,d reads, p50/p99 %.2f/%.2f ms); p99 ratio %.2f%n",
                workflowsHeld, result.submitQuiet().p50(), result.submitQuiet().p99(), result.submitPolled().p50(),
                result.submitPolled().p99(), POLLERS, result.status().count(), result.status().p50(),
                result.status().p99(), result.p99Ratio());
        return result;
    }

    private static Histogram submits(FlowRaftClient leader, Shape shape, String run, int submits) {
        Histogram latency = new Histogram(MAX_MICROS, 3);
        for (int n = 0; n < submits; n++) {
            SubmitWorkflowRequest request = new SubmitWorkflowRequest(shape.definitionName(), null, shape.input(n), null);
            long started = System.nanoTime();
            leader.submitWorkflow(request, run + "-" + n);
            latency.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - started) / 1_000));
        }
        return latency;
    }
}
