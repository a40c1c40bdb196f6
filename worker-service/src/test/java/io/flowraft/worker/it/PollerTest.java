package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.historyKinds;
import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.it.TestWorkers.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A worker with two poll loops (two lease lengths) against real coordinators, behind a proxy that loses one
 * poll answer: the loop whose answer was lost must get its leases back on retry although the other loop was
 * granted leases in between.
 */
@ExtendWith(SharedCluster.class)
class PollerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void shouldGiveALoopItsLostLeasesBackAfterAnotherLoopWasGranted(CoordinatorCluster cluster) throws Exception {
        FlowRaftClient client = cluster.client(0);
        LostAnswer script = new LostAnswer("poller-a", "poller-b");
        try (LossyProxy proxy = new LossyProxy(cluster.uri(0), script);
                ConfigurableApplicationContext worker = startWorker(proxy.uri().toString(), "two-loop-worker",
                        loops(),
                        new Answer("poller-a", "a"), new Answer("poller-b", "b"))) {
            // given loop A was granted a lease whose answer was lost, and its retry is held back
            WorkflowView first = submit(client, task("t", "poller-a", null, List.of()));
            await().atMost(PATIENCE).until(() -> script.lost.get() != null);
            assertThat(script.lost.get()).hasSize(1);

            // when loop B polls and is granted a lease, and only then A's retry goes through
            WorkflowView second = submit(client, task("t", "poller-b", null, List.of()));
            await().atMost(PATIENCE).until(() -> script.retried.get() != null);

            // then A's retry got back exactly the lease of its first try, and nothing was left to expire
            assertThat(script.retried.get()).isEqualTo(script.lost.get());
            for (WorkflowView submitted : List.of(first, second)) {
                WorkflowView done = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                        .until(() -> client.getWorkflow(submitted.id()), v -> v.status() == WorkflowStatus.COMPLETED);
                assertThat(task(done, "t").attempt()).isEqualTo(1);
                assertThat(historyKinds(client, submitted.id())).doesNotContain("LeaseExpired");
            }
        }
    }

    /**
     * Two poll loops by lease length: A for poller-a and the built-in types, B for poller-b. A loop's poll
     * reserves as many run slots as every type it asks for has free, and keeps them until it is answered: a
     * concurrency of 1 for poller-a and poller-b leaves slots for the other loop to poll while A retries.
     */
    private static Map<String, String> loops() {
        return Map.of("lease-duration", "10s", "types.poller-a.concurrency", "1",
                "types.poller-b.lease-duration", "11s", "types.poller-b.concurrency", "1");
    }

    /**
     * Loses the answer of loop A's first poll granted leases, holds A's retry of it until loop B has been
     * granted leases, and notes what the retry got back. Loops are told apart by the task type they poll.
     */
    private static final class LostAnswer implements LossyProxy.Script {

        private final String typeA;
        private final String typeB;
        final AtomicReference<List<String>> lost = new AtomicReference<>();
        final AtomicReference<List<String>> retried = new AtomicReference<>();
        private final CountDownLatch grantedToB = new CountDownLatch(1);
        private volatile String lostPollId;

        LostAnswer(String typeA, String typeB) {
            this.typeA = typeA;
            this.typeB = typeB;
        }

        @Override
        public void before(String path, byte[] body) throws InterruptedException {
            PollRequest poll = poll(path, body);
            if (poll != null && poll.pollId().equals(lostPollId)
                    && !grantedToB.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Loop B was never granted a lease");
            }
        }

        @Override
        public boolean lose(String path, byte[] body, int status, byte[] answer) {
            PollRequest poll = poll(path, body);
            if (poll == null || status != 200) {
                return false;
            }
            List<String> leaseIds = leaseIds(answer);
            if (poll.taskTypes().contains(typeB) && !leaseIds.isEmpty()) {
                grantedToB.countDown();
            }
            if (!poll.taskTypes().contains(typeA)) {
                return false;
            }
            if (lostPollId == null && !leaseIds.isEmpty()) {
                lostPollId = poll.pollId();
                lost.set(leaseIds);
                return true;
            }
            if (poll.pollId().equals(lostPollId)) {
                retried.compareAndSet(null, leaseIds);
            }
            return false;
        }

        private static PollRequest poll(String path, byte[] body) {
            return path.equals(FlowRaftHttp.API_V1 + "/tasks/poll") ? FlowRaftJson.mapper().readValue(body, PollRequest.class) : null;
        }

        private static List<String> leaseIds(byte[] answer) {
            JsonNode body = FlowRaftJson.mapper().readTree(answer);
            JsonNode leases = body.isArray() ? body : body.get("leases");
            List<String> ids = new ArrayList<>();
            leases.forEach(lease -> ids.add(lease.get("leaseId").asString()));
            return ids;
        }
    }
}
