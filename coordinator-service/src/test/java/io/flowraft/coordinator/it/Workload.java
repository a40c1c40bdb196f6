package io.flowraft.coordinator.it;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Clients and workers of a test cluster that keep going through node failures: every call goes to some
 * coordinator, and a transport error or a retryable problem (429/503/504) moves on to the next one and
 * retries with the same idempotency key. Records what was acknowledged, for the invariants.
 */
final class Workload {

    private final IntFunction<FlowRaftClient> clients;
    private final int nodes;
    private final AtomicInteger cursor = new AtomicInteger();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> completionsAccepted = new ConcurrentHashMap<>();
    final AtomicInteger staleRejected = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();

    Workload(int nodes, IntFunction<FlowRaftClient> clients) {
        this.nodes = nodes;
        this.clients = clients;
    }

    private FlowRaftClient next() {
        return clients.apply(Math.floorMod(cursor.getAndIncrement(), nodes));
    }

    /** Submits one workflow, retrying on other nodes until it is acknowledged; returns its id. */
    String submit(String definition, String key) {
        for (int attempt = 0; attempt < 200; attempt++) {
            try {
                String id = next().submitWorkflow(new SubmitWorkflowRequest(definition, null,
                        FlowRaftJson.mapper().createObjectNode().put("key", key), key), null).id();
                acknowledged.add(id);
                return id;
            } catch (UncheckedIOException e) {
                retries.incrementAndGet();
            } catch (FlowRaftProblemException e) {
                if (!e.isRetryable()) {
                    throw e;
                }
                retries.incrementAndGet();
            }
            pause();
        }
        throw new IllegalStateException("Could not submit " + key);
    }

    /** A worker loop: polls any node, completes what it gets, until {@code stop}. */
    void work(String workerId, AtomicBoolean stop) {
        while (!stop.get()) {
            List<Lease> leases;
            FlowRaftClient client = next();
            try {
                leases = client.poll(new PollRequest(workerId, List.of("work"), 20, 500L, 5_000L, null));
            } catch (UncheckedIOException | FlowRaftProblemException e) {
                retries.incrementAndGet();
                pause();
                continue;
            }
            for (Lease lease : leases) {
                report(lease);
            }
        }
    }

    private void report(Lease lease) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                var response = next().complete(lease.leaseId(), FlowRaftJson.mapper().createObjectNode().put("ok", true));
                if (!response.duplicate()) {
                    completionsAccepted.computeIfAbsent(lease.workflowId() + "/" + lease.taskId(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
                return;
            } catch (UncheckedIOException e) {
                retries.incrementAndGet();
            } catch (FlowRaftProblemException e) {
                if (e.status() == 409) {
                    staleRejected.incrementAndGet();
                    return; // the lease was lost: the task is someone else's now
                }
                if (!e.isRetryable()) {
                    throw e;
                }
                retries.incrementAndGet();
            }
            pause();
        }
    }

    /** Whether every acknowledged workflow has finished, asked of any node that answers. */
    boolean allFinished() {
        for (int attempt = 0; attempt < nodes; attempt++) {
            FlowRaftClient client = next();
            try {
                for (String id : acknowledged) {
                    if (client.getWorkflow(id).status() == WorkflowStatus.RUNNING) {
                        return false;
                    }
                }
                return true;
            } catch (UncheckedIOException | FlowRaftProblemException e) {
                retries.incrementAndGet();
            }
        }
        return false;
    }

    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
}
