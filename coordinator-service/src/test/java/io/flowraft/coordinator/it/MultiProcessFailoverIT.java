package io.flowraft.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.client.FlowRaftClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three coordinator JVMs started from the packaged jar, under a load of clients and workers: the leader is
 * killed with SIGKILL mid-run. Every acknowledged workflow must still complete, no task may be committed
 * complete twice, and the killed node must rejoin and converge to the same state digest.
 */
class MultiProcessFailoverIT {

    private static final int ELECTION_TIMEOUT_MS = 1000;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static List<TaskSpec> chain(int length) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            tasks.add(new TaskSpec("t" + i, "work", i == 0 ? List.of() : List.of("t" + (i - 1)), null, null, null, null,
                    10_000L, null));
        }
        return tasks;
    }

    @Test
    void shouldCompleteEveryAcknowledgedWorkflowWhenTheLeaderIsKilledUnderLoad() throws Exception {
        // given three coordinator processes and a definition
        cluster = new ProcessCluster(3, ELECTION_TIMEOUT_MS).startAll(Duration.ofSeconds(90));
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        cluster.node(leader).client().registerDefinition(new RegisterDefinitionRequest("pipeline", null, chain(3)));
        Workload workload = new Workload(3, i -> cluster.node(i).client());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            String workerId = "worker-" + w;
            workers.add(pool.submit(() -> workload.work(workerId, stop)));
        }
        try {
            // when clients submit while the leader is killed part-way
            Future<?> clients = pool.submit(() -> {
                for (int i = 0; i < 120; i++) {
                    workload.submit("pipeline", "order-" + i);
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> workload.acknowledged.size() >= 40);
            long killedAt = System.nanoTime();
            cluster.node(leader).kill();
            int newLeader = cluster.awaitLeader(Duration.ofSeconds(15));
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("multi-process failover: node %d leads %d ms after SIGKILL of node %d%n", newLeader,
                    failoverMs, leader);
            // Twice the election timeout, plus slack for what the measurement adds on a shared 2-core machine:
            // polling the cluster view over HTTP every 50 ms, and three JVMs competing with the test's own load.
            assertThat(failoverMs).isLessThanOrEqualTo(2L * ELECTION_TIMEOUT_MS + 1_000);
            clients.get();
            // then every acknowledged workflow completes
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(workload::allFinished);
        } finally {
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdownNow();
        }
        assertThat(workload.acknowledged).hasSize(120);
        // and no task was accepted as complete twice, by the clients' count and by the committed history
        assertThat(workload.completionsAccepted.values()).allMatch(n -> n.get() == 1);
        FlowRaftClient any = cluster.node((leader + 1) % 3).client();
        for (String id : workload.acknowledged) {
            assertThat(any.getWorkflow(id).status().name()).isEqualTo("COMPLETED");
            Map<String, Integer> completions = new HashMap<>();
            for (HistoryEntry entry : any.history(id).entries()) {
                if (entry.kind().equals("TaskCompleted")) {
                    completions.merge(entry.taskId(), 1, Integer::sum);
                }
            }
            assertThat(completions).as("completions of %s", id).hasSize(3).allSatisfy((task, n) -> assertThat(n).isEqualTo(1));
        }
        // and the killed node rejoins and converges
        cluster.node(leader).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            Set<String> digests = new HashSet<>();
            Set<Long> applied = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                ClusterView view = cluster.node(i).client().clusterStale();
                digests.add(view.stateDigest());
                applied.add(view.appliedIndex());
            }
            assertThat(applied).hasSize(1);
            assertThat(digests).hasSize(1);
        });
    }
}
