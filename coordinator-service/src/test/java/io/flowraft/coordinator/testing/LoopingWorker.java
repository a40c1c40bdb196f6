package io.flowraft.coordinator.testing;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A worker over HTTP on a thread of its own: long-polls one task type and completes every task it gets with
 * {@code {"by": taskId}}, until closed. Transport errors and retryable problems (a node away, 429, 503) are skipped
 * over, as a real worker would; the task's lease then expires and it comes back.
 */
public final class LoopingWorker implements AutoCloseable {

    private final Supplier<FlowRaftClient> clients;
    private final String taskType;
    private final Thread thread;
    private final AtomicInteger completed = new AtomicInteger();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /** @param clients the coordinator to use for each call (e.g. round robin over a cluster) */
    public LoopingWorker(String workerId, String taskType, Supplier<FlowRaftClient> clients) {
        this.clients = clients;
        this.taskType = taskType;
        this.thread = Thread.ofPlatform().name("looping-worker-" + workerId).daemon().start(() -> run(workerId));
    }

    private void run(String workerId) {
        while (running) {
            try {
                FlowRaftClient client = clients.get();
                List<Lease> leases = client.poll(new PollRequest(workerId, List.of(taskType), 20, 500L, 10_000L, null));
                for (Lease lease : leases) {
                    client.complete(lease.leaseId(), FlowRaftJson.mapper().createObjectNode().put("by", lease.taskId()));
                    completed.incrementAndGet();
                }
            } catch (UncheckedIOException | FlowRaftProblemException e) {
                if (e instanceof FlowRaftProblemException problem && !problem.isRetryable() && problem.status() != 409) {
                    failure = problem;
                    return;
                }
            }
        }
    }

    /** A problem the worker could not go on after, rethrown by {@link #close}. */
    public RuntimeException failure() {
        return failure;
    }

    /** Tasks this worker completed. */
    public int completed() {
        return completed.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
