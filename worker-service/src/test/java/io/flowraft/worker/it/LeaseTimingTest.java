package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.count;
import static io.flowraft.worker.it.TestWorkers.historyKinds;
import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.worker.it.TestWorkers.Gate;
import io.flowraft.worker.runtime.WorkerClock;
import io.flowraft.worker.runtime.WorkerMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How a worker times its leases against real coordinators: on its own monotonic clock, whatever its wall clock
 * says. The worker's wall clock is skewed through its {@link WorkerClock}; the coordinators' stays real.
 */
@ExtendWith(SharedCluster.class)
class LeaseTimingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(2);

    @ParameterizedTest(name = "wall clock {0} ms off")
    @ValueSource(longs = {10_000, -10_000})
    void shouldHeartbeatAboutTwicePerLeaseWhateverTheWorkersWallClock(long skewMs, CoordinatorCluster cluster)
            throws Exception {
        FlowRaftClient client = cluster.client(0);
        // given a worker whose wall clock is 10 s off the coordinators', asking for 2 s leases
        String type = skewMs > 0 ? "clock-ahead" : "clock-behind";
        Gate gate = new Gate(type, "skewed");
        WorkerClock skewed = WorkerClock.of(InstantSource.offset(InstantSource.system(), Duration.ofMillis(skewMs)), System::nanoTime);
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "skewed-worker-" + type,
                Map.of("lease-duration", LEASE.toMillis() + "ms"), skewed, gate)) {
            WorkflowView submitted = submit(client, task("t", type, null, new RetryPolicy(3, 0L, 1.0, 0L), null));
            assertThat(gate.entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            // when its handler runs for 3 lease lengths, the lease stays with attempt 1 all along
            await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(3).plus(PATIENCE))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> task(client.getWorkflow(submitted.id()), "t"),
                            t -> t.status() == TaskStatus.LEASED && t.attempt() == 1);
            gate.release();

            // then the task completes on attempt 1, its lease never expired
            WorkflowView done = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.getWorkflow(submitted.id()), v -> v.status() == WorkflowStatus.COMPLETED);
            TaskView t = task(done, "t");
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(historyKinds(client, submitted.id())).doesNotContain("LeaseExpired");
            // and the worker heartbeated about once per half lease (6 s / 1 s), not continuously
            assertThat(count(worker, WorkerMetrics.HEARTBEATS, "type", type, "result", "extended")).isBetween(3.0, 10.0);
            assertThat(count(worker, WorkerMetrics.HEARTBEATS, "type", type, "result", "not-extended")).isZero();
        } finally {
            gate.release();
        }
    }
}
