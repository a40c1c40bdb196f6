package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ProblemType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /workflows/{id}?waitMs=}: held, without a servlet thread, until the workflow ends or the wait passes. */
class AwaitWorkflowTest extends ApiTestSupport {

    private static final String ONE_TASK = "{\"tasks\": [{\"id\": \"a\", \"type\": \"wait-test\"}]}";

    private String submitOneTask() {
        ApiHttp.Response response = http.post(WORKFLOWS, ONE_TASK);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    @Test
    void shouldHoldTheReadUntilTheWorkflowCompletes() {
        // given a running workflow and a client waiting up to 10 s for its end
        String id = submitOneTask();
        long started = System.nanoTime();
        CompletableFuture<ApiHttp.Response> waiting = http.getAsync(WORKFLOWS + "/" + id + "?waitMs=10000");
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.waitingForEnds() == 1);
        assertThat(waiting).isNotDone();

        // when its only task completes
        String leaseId = pollNow("w1", "wait-test").get(0).get("leaseId").asString();
        assertThat(http.post("/api/v1/leases/" + leaseId + "/complete", "{\"output\": {\"ok\": true}}").status())
                .isEqualTo(200);

        // then the wait answers the completed workflow at once, long before its 10 s are over
        ApiHttp.Response response = waiting.join();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode view = response.json();
        assertThat(view.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(view.has("finishedAt")).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldAnswerTheRunningWorkflowWhenTheWaitPasses() {
        // given a workflow nobody works on
        String id = submitOneTask();
        long started = System.nanoTime();

        // when a client waits 300 ms for its end
        ApiHttp.Response response = http.get(WORKFLOWS + "/" + id + "?waitMs=300");

        // then it is answered 200 with the view as it stands, after the wait and not before
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(3));
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldAnswerAtOnceWhenTheWorkflowHasEndedAlready() {
        // given a cancelled workflow
        String id = submitOneTask();
        assertThat(http.post(WORKFLOWS + "/" + id + "/cancel", null).status()).isEqualTo(200);
        long started = System.nanoTime();

        // when a client waits up to 10 s for its end
        ApiHttp.Response response = http.get(WORKFLOWS + "/" + id + "?waitMs=10000&consistency=stale");

        // then the answer comes at once
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldAnswerNotFoundAtOnceForAnUnknownWorkflow() {
        ApiHttp.Response response = http.get(WORKFLOWS + "/no-such-workflow?waitMs=10000");

        assertProblem(response, 404, ProblemType.WORKFLOW_NOT_FOUND, "workflowId");
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldRejectAWaitOutOfRange() {
        String id = submitOneTask();

        JsonNode negative = assertProblem(http.get(WORKFLOWS + "/" + id + "?waitMs=-1"), 400,
                ProblemType.INVALID_REQUEST, "waitMs");
        assertProblem(http.get(WORKFLOWS + "/" + id + "?waitMs=60001"), 400, ProblemType.INVALID_REQUEST, "waitMs");
        assertProblem(http.get(WORKFLOWS + "/" + id + "?waitMs=soon"), 400, ProblemType.INVALID_REQUEST, "waitMs");

        assertThat(negative.get("detail").asString()).isEqualTo("Expected waitMs between 0 and 60000, but found -1");
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldHoldNoServletThreadWhileWaiting() {
        // given more waiting reads than Tomcat has threads (16 in these tests)
        String id = submitOneTask();
        int reads = 40;
        List<CompletableFuture<ApiHttp.Response>> waiting = new ArrayList<>();
        for (int i = 0; i < reads; i++) {
            waiting.add(http.getAsync(WORKFLOWS + "/" + id + "?waitMs=10000"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.waitingForEnds() == reads);

        // when the workflow is cancelled through a request that still finds a thread
        assertThat(http.post(WORKFLOWS + "/" + id + "/cancel", null).status()).isEqualTo(200);

        // then every waiting read answers CANCELLED
        await().atMost(Duration.ofSeconds(5)).until(() -> waiting.stream().allMatch(CompletableFuture::isDone));
        assertThat(waiting).allSatisfy(f -> assertThat(f.join().json().get("status").asString()).isEqualTo("CANCELLED"));
    }
}
