package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.historyKinds;
import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.ReportBatchRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.it.TestWorkers.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A busy worker's next task comes with the answer to its last report: one exchange and one Raft entry per chain
 * step instead of a report and a poll. Against real coordinators, through a proxy in front of the leader that
 * counts what crosses it and can lose the answer to an exchange.
 */
@ExtendWith(SharedCluster.class)
class ReportExchangeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String REPORTS = FlowRaftHttp.API_V1 + "/reports";
    private static final String POLL = FlowRaftHttp.API_V1 + "/tasks/poll";
    private static final int STEPS = 12;

    @Test
    void shouldLeaseEachNextStepOfAChainInTheExchangeThatReportsTheStepBefore(CoordinatorCluster cluster)
            throws Exception {
        Counting counting = new Counting();
        FlowRaftClient client = cluster.client(0);
        try (LossyProxy proxy = new LossyProxy(cluster.uri(cluster.awaitLeader()), counting);
                ConfigurableApplicationContext worker = startWorker(proxy.uri().toString(), "exchange-worker",
                        Map.of("max-in-flight", "4"), new Answer("exchange-step", "x"))) {
            // when a chain of twelve steps runs on one worker
            WorkflowView chain = submit(client, chain("exchange-step"));

            // then every step ran once, in order, and completed
            WorkflowView done = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.getWorkflow(chain.id()), v -> v.status() == WorkflowStatus.COMPLETED);
            done.tasks().forEach(step -> assertThat(step.attempt()).isEqualTo(1));
            assertThat(historyKinds(client, chain.id())).doesNotContain("LeaseExpired");

            // and the steps after the first were leased by the exchanges that reported their predecessors
            assertThat(counting.leasedByExchanges.get()).as("successors leased with a report")
                    .isGreaterThanOrEqualTo(STEPS - 3);
            assertThat(counting.leasedByPolls.get()).as("leases that took a poll").isLessThanOrEqualTo(3);
        }
    }

    @Test
    void shouldRecoverTheLeasesOfAnExchangeWhoseAnswerWasLost(CoordinatorCluster cluster) throws Exception {
        LoseFirstExchange script = new LoseFirstExchange();
        FlowRaftClient client = cluster.client(0);
        try (LossyProxy proxy = new LossyProxy(cluster.uri(cluster.awaitLeader()), script);
                ConfigurableApplicationContext worker = startWorker(proxy.uri().toString(), "lossy-exchange-worker",
                        Map.of("max-in-flight", "2"), new Answer("lossy-step", "y"))) {
            // given a chain whose first exchange that was granted a successor loses its answer
            WorkflowView chain = submit(client, chain("lossy-step"));

            // then the worker polls again with that exchange's poll id and gets the very same lease back
            await().atMost(PATIENCE).until(() -> script.recovered.get() != null);
            assertThat(script.recovered.get()).isEqualTo(script.lost.get());

            // and the chain completes, no step run twice, no lease left to expire
            WorkflowView done = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.getWorkflow(chain.id()), v -> v.status() == WorkflowStatus.COMPLETED);
            done.tasks().forEach(step -> assertThat(step.attempt()).isEqualTo(1));
            assertThat(historyKinds(client, chain.id())).doesNotContain("LeaseExpired");
        }
    }

    private static TaskSpec[] chain(String type) {
        TaskSpec[] steps = new TaskSpec[STEPS];
        for (int i = 0; i < STEPS; i++) {
            steps[i] = task("s" + i, type, null, i == 0 ? List.of() : List.of("s" + (i - 1)));
        }
        return steps;
    }

    /** Counts the leases answered to polls and to report exchanges. */
    private static final class Counting implements LossyProxy.Script {

        final AtomicInteger leasedByExchanges = new AtomicInteger();
        final AtomicInteger leasedByPolls = new AtomicInteger();

        @Override
        public boolean lose(String path, byte[] body, int status, byte[] answer) {
            if (status == 200 && path.equals(REPORTS)) {
                leasedByExchanges.addAndGet(leaseIds(answer).size());
            } else if (status == 200 && path.equals(POLL)) {
                leasedByPolls.addAndGet(leaseIds(answer).size());
            }
            return false;
        }
    }

    /** Loses the answer of the first exchange granted a lease; notes what the poll with its poll id got. */
    private static final class LoseFirstExchange implements LossyProxy.Script {

        final AtomicReference<List<String>> lost = new AtomicReference<>();
        final AtomicReference<List<String>> recovered = new AtomicReference<>();
        private volatile String lostPollId;

        @Override
        public boolean lose(String path, byte[] body, int status, byte[] answer) {
            if (status != 200) {
                return false;
            }
            if (path.equals(REPORTS) && lostPollId == null) {
                ReportBatchRequest request = FlowRaftJson.mapper().readValue(body, ReportBatchRequest.class);
                List<String> leases = leaseIds(answer);
                if (request.next() != null && !leases.isEmpty()) {
                    lostPollId = request.next().pollId();
                    lost.set(leases);
                    return true;
                }
            }
            if (path.equals(POLL) && lostPollId != null && new String(body).contains("\"" + lostPollId + "\"")) {
                recovered.compareAndSet(null, leaseIds(answer));
            }
            return false;
        }
    }

    private static List<String> leaseIds(byte[] answer) {
        JsonNode body = FlowRaftJson.mapper().readTree(answer);
        JsonNode leases = body.isArray() ? body : body.get("leases");
        List<String> ids = new ArrayList<>();
        if (leases != null) {
            leases.forEach(lease -> ids.add(lease.get("leaseId").asString()));
        }
        return ids;
    }
}
