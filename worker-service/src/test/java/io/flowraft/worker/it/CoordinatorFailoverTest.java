package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.count;
import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static io.flowraft.worker.it.TestWorkers.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.worker.runtime.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Losing the leader coordinator while workers long-poll: they carry on through the others. Owns its cluster. */
class CoordinatorFailoverTest {

    @Test
    void shouldCompleteEveryWorkflowWhenTheLeaderCoordinatorStops() throws Exception {
        try (CoordinatorCluster cluster = CoordinatorCluster.start(3);
                ConfigurableApplicationContext first = startWorker(cluster.uris(), "failover-1", Map.of());
                ConfigurableApplicationContext second = startWorker(cluster.uris(), "failover-2", Map.of())) {
            // given workers long-polling all three coordinators, and workflows before the failover
            int leader = cluster.awaitLeader();
            FlowRaftClient survivor = cluster.client((leader + 1) % 3);
            List<String> workflows = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                workflows.add(submit(survivor, task("a", "echo", "{\"i\": " + i + "}", List.of()),
                        task("b", "echo", "{\"a\": \"${tasks.a.output.i}\"}", List.of("a"))).id());
            }

            // when the leader stops while the workers wait in their long polls, and more work comes
            cluster.stop(leader);
            for (int i = 5; i < 10; i++) {
                int n = i;
                workflows.add(await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> submit(survivor, task("a", "echo", "{\"i\": " + n + "}", List.of()),
                                task("b", "echo", "{\"a\": \"${tasks.a.output.i}\"}", List.of("a"))), v -> true).id());
            }

            // then every workflow completes, each task exactly once, through the remaining coordinators
            for (String id : workflows) {
                WorkflowView done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions().until(() -> survivor.getWorkflow(id), v -> v.status() == WorkflowStatus.COMPLETED);
                assertThat(done.tasks()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
            }
            // (a worker counts a task once its report is answered, which may come after the view shows it)
            Callable<Double> completed = () -> count(first, WorkerMetrics.TASKS, "type", "echo", "outcome", "completed")
                    + count(second, WorkerMetrics.TASKS, "type", "echo", "outcome", "completed");
            await().atMost(Duration.ofSeconds(30)).until(completed, n -> n >= 20);
            assertThat(completed.call()).isEqualTo(20);
            assertThat(worker(first).isRunning()).isTrue();
            assertThat(worker(second).isRunning()).isTrue();
        }
    }
}
