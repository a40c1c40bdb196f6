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
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

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

    @Test
    void shouldStopAnAttemptAtItsLocalDeadlineAndDropItsResult(CoordinatorCluster cluster) {
        // given a task whose timeoutMs (2.5 s) is shorter than its first attempt runs, on a worker asking for 1 s
        // leases: heartbeats extend the lease until the timeoutMs, no further
        FlowRaftClient client = cluster.client(0);
        Overrun handler = new Overrun("overrun");
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "overrun-worker",
                Map.of("lease-duration", "1s"), handler)) {
            WorkflowView submitted = submit(client, task("t", "overrun", null, new RetryPolicy(3, 0L, 1.0, 0L), 2_500L));

            // when the lease reaches its deadline, the coordinator expires it and the next attempt runs
            WorkflowView done = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.getWorkflow(submitted.id()), v -> v.status() == WorkflowStatus.COMPLETED);

            // then attempt 2 completed, and attempt 1 was interrupted before attempt 2 began: never side by side
            TaskView t = task(done, "t");
            assertThat(t.attempt()).isEqualTo(2);
            assertThat(t.output().get("attempt").asInt()).isEqualTo(2);
            assertThat(handler.firstInterrupted).isTrue();
            assertThat(handler.firstEnded).isLessThan(handler.secondStarted);
            assertThat(historyKinds(client, submitted.id())).containsSubsequence("LeaseGranted", "LeaseExpired",
                    "LeaseGranted", "TaskCompleted");
            assertThat(historyKinds(client, submitted.id()).stream().filter("TaskCompleted"::equals)).hasSize(1);
            // and attempt 1's result, although its handler returned one, was never reported: the only report a
            // coordinator answered was attempt 2's, and none was refused
            await().atMost(PATIENCE).until(() -> count(worker, WorkerMetrics.TASKS, "type", "overrun", "outcome", "lease-lost") == 1);
            assertThat(count(worker, WorkerMetrics.LEASES_LOST, "type", "overrun", "at", "deadline")).isEqualTo(1);
            assertThat(count(worker, WorkerMetrics.LEASES_LOST, "type", "overrun", "at", "report")).isZero();
            // (attempt 2 is counted once its report is answered, which may come after the view shows it)
            await().atMost(PATIENCE).until(() -> count(worker, WorkerMetrics.TASKS, "type", "overrun", "outcome", "completed") >= 1);
            assertThat(count(worker, WorkerMetrics.TASKS, "type", "overrun", "outcome", "completed")).isEqualTo(1);
            assertThat(worker.getBean(MeterRegistry.class).find(WorkerMetrics.REPORT).timer().count()).isEqualTo(1);
            assertThat(count(worker, WorkerMetrics.HEARTBEATS, "type", "overrun", "result", "not-extended")).isEqualTo(1);
        } finally {
            handler.release();
        }
    }

    /**
     * Attempt 1 waits until interrupted or released, and then still returns a result, as a handler that ignores
     * interrupts would; later attempts answer at once. Notes when attempt 1 ended and attempt 2 began.
     */
    static final class Overrun implements TaskHandler<JsonNode, Map<String, Object>> {

        private final String type;
        private final CountDownLatch released = new CountDownLatch(1);
        volatile boolean firstInterrupted;
        volatile long firstEnded = Long.MAX_VALUE;
        volatile long secondStarted = Long.MIN_VALUE;

        Overrun(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Map<String, Object> handle(JsonNode input, TaskContext context) {
            if (context.attempt() > 1) {
                secondStarted = System.nanoTime();
                return Map.of("attempt", context.attempt());
            }
            try {
                released.await();
            } catch (InterruptedException e) {
                firstInterrupted = true;
            }
            firstEnded = System.nanoTime();
            return Map.of("attempt", 1);
        }

        void release() {
            released.countDown();
        }
    }
}
