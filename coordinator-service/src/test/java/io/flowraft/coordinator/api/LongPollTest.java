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
}
