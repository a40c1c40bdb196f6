package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.replication.NoLeaderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Long polls wait on {@code TaskArrivals}, not on a timer loop, and hold no servlet thread while they do. */
class LongPollTest extends ApiTestSupport {

    private static final String WAITING_POLL =
            "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"waitMs\": 5000, \"maxTasks\": 10}";

    @Test
    void shouldAnswerAsSoonAsATaskArrivesWellBeforeTheDeadline() {
        // given a worker waiting for payment tasks
        registerOrders();
        long started = System.nanoTime();
        CompletableFuture<ApiHttp.Response> poll = http.postAsync(POLL, WAITING_POLL);
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.waiting() == 1);
        assertThat(poll).isNotDone();

        // when a workflow is submitted
        String workflowId = submitOrder(9);

        // then the poll answers with its lease long before its 5 s wait is over
        await().atMost(Duration.ofSeconds(2)).until(poll::isDone);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        ApiHttp.Response response = poll.join();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode leases = response.json();
        assertThat(leases.size()).isEqualTo(1);
        assertThat(leases.get(0).get("workflowId").asString()).isEqualTo(workflowId);
        assertThat(elapsed).isLessThan(Duration.ofMillis(4500));
        assertThat(gateway.leaseProposals()).as("one empty proposal, then the one that granted").isEqualTo(2);
        assertThat(gateway.waiting()).isZero();
    }

    @Test
    void shouldAnswerEmptyAtTheDeadlineWithoutBusyWaiting() {
        long started = System.nanoTime();

        ApiHttp.Response response = http.post(POLL,
                "{\"workerId\": \"w1\", \"taskTypes\": [\"idle\"], \"waitMs\": 400}");

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(3));
        assertThat(gateway.leaseProposals()).as("proposed once, then waited").isEqualTo(1);
    }

    @Test
    void shouldNotBeWokenByTasksOfOtherTypes() {
        // given a worker waiting for payment tasks only
        CompletableFuture<ApiHttp.Response> poll = http.postAsync(POLL,
                "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"waitMs\": 600}");
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.waiting() == 1);

        // when a task of another type becomes ready
        http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"shipping\"}]}");

        // then the poll keeps waiting and ends empty
        ApiHttp.Response response = poll.join();
        assertThat(response.body()).isEqualTo("[]");
        assertThat(gateway.leaseProposals()).isEqualTo(1);
    }

    @Test
    void shouldHoldNoServletThreadWhileWaiting() {
        // given more waiting polls than Tomcat has threads (16 in these tests)
        int polls = 60;
        List<CompletableFuture<ApiHttp.Response>> waiting = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            waiting.add(http.postAsync(POLL, "{\"workerId\": \"w" + i + "\", \"taskTypes\": [\"bulk\"], \"waitMs\": 3000}"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.waiting() == polls);

        // when one task arrives
        assertThat(http.get(WORKFLOWS).status()).as("a plain request is still served").isEqualTo(200);
        http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"bulk\"}]}");

        // then exactly one poll gets it, at once, and the others end empty at their deadline
        await().atMost(Duration.ofSeconds(2)).until(() -> waiting.stream()
                .anyMatch(f -> f.isDone() && f.join().body().contains("leaseId")));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.stream().allMatch(CompletableFuture::isDone));
        assertThat(waiting.stream().filter(f -> f.join().body().contains("leaseId")).count()).isEqualTo(1);
        assertThat(waiting.stream().filter(f -> f.join().body().equals("[]")).count()).isEqualTo(polls - 1);
    }

    @Test
    void shouldAnswerTheRaftFailureOfAReProposal() {
        // given a waiting poll
        registerOrders();
        CompletableFuture<ApiHttp.Response> poll = http.postAsync(POLL, WAITING_POLL);
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.waiting() == 1);

        // when it is woken but its re-proposal finds no leader
        gateway.failNextLease(new NoLeaderException("No leader is known", "127.0.0.1:8102", Duration.ofMillis(1500)));
        submitOrder(1);

        // then the worker learns it at once, with when to retry and where the leader was
        ApiHttp.Response response = poll.join();
        JsonNode problem = assertProblem(response, 503, ProblemType.NOT_LEADER, null);
        assertThat(response.header("Retry-After")).isEqualTo("2");
        assertThat(problem.get("retryAfterSeconds").asLong()).isEqualTo(2);
        assertThat(problem.get("leader").asString()).isEqualTo("127.0.0.1:8102");
        assertThat(gateway.waiting()).isZero();
    }

    @Test
    void shouldWaitWithoutProposingWhileTheLeaderHoldsNothingToLease() {
        // given a type polled a moment ago, so its poll sighting is fresh
        registerOrders();
        http.post(POLL, "{\"workerId\": \"w0\", \"taskTypes\": [\"payment\"]}");
        assertThat(gateway.leaseProposals()).isEqualTo(1);

        // when a worker long-polls it while nothing is READY
        CompletableFuture<ApiHttp.Response> poll = http.postAsync(POLL, WAITING_POLL);
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.waiting() == 1);

        // then it waits without committing an empty lease
        assertThat(gateway.leaseProposals()).isEqualTo(1);

        // and once a task arrives, one proposal grants it
        String workflowId = submitOrder(3);
        await().atMost(Duration.ofSeconds(2)).until(poll::isDone);
        assertThat(poll.join().json().get(0).get("workflowId").asString()).isEqualTo(workflowId);
        assertThat(gateway.leaseProposals()).isEqualTo(2);
    }

    @Test
    void shouldCommitAnEmptyPollNowAndThenSoThatItsTypesStillCountAsPolled() {
        // given a type last polled more than a third of no-poll-after (90 s) ago
        http.post(POLL, "{\"workerId\": \"w0\", \"taskTypes\": [\"payment\"]}");
        gateway.advance(Duration.ofSeconds(31));

        // when a worker long-polls it while nothing is READY, that poll is committed, empty
        assertThat(http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"waitMs\": 100}").body())
                .isEqualTo("[]");
        assertThat(gateway.leaseProposals()).isEqualTo(2);

        // then the polls that follow within the period are not
        gateway.advance(Duration.ofSeconds(29));
        assertThat(http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"waitMs\": 100}").body())
                .isEqualTo("[]");
        assertThat(gateway.leaseProposals()).isEqualTo(2);
        // and a poll naming a type never polled is committed at once
        http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\", \"refund\"], \"waitMs\": 100}");
        assertThat(gateway.leaseProposals()).isEqualTo(3);
    }

    @Test
    void shouldStillAnswerARetriedPollIdAndRefuseBadInputWithoutTasksReady() {
        // given a poll that was granted a lease, with nothing else READY
        registerOrders();
        submitOrder(1);
        String poll = "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"pollId\": \"p-1\", \"waitMs\": %d}";
        JsonNode first = http.post(POLL, poll.formatted(0)).json();
        assertThat(first.size()).isEqualTo(1);

        // when the worker retries it as a long poll (its answer was lost)
        ApiHttp.Response retried = http.post(POLL, poll.formatted(5000));

        // then the leader proposes it anyway and answers the lease of the first try at once
        assertThat(retried.json().get(0).get("leaseId").asString()).isEqualTo(first.get(0).get("leaseId").asString());

        // and a malformed poll is still refused by the engine rather than left waiting
        assertProblem(http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"no spaces allowed\"], \"waitMs\": 5000}"),
                400, ProblemType.INVALID_REQUEST, "taskTypes[0]");
    }
}
