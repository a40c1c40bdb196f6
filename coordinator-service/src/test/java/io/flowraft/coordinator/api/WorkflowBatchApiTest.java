package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/workflows/batch} answers each submit as its own request would, and
 * {@code POST /api/v1/workflows/ends} answers whichever of many workflows ended, holding no thread while it waits.
 */
class WorkflowBatchApiTest extends ApiTestSupport {

    private static final String BATCH = WORKFLOWS + "/batch";
    private static final String ENDS = WORKFLOWS + "/ends";

    @Test
    void shouldAnswerEachSubmitOfABatchOnItsOwn() {
        // given a definition, and one workflow started before under key k-1
        registerOrders();
        String earlier = http.post(WORKFLOWS, "{\"definition\": \"orders\", \"input\": {\"amount\": 1},"
                + " \"idempotencyKey\": \"k-1\"}").json().get("id").asString();

        // when a batch repeats k-1, starts two new ones, names an unknown definition, a malformed one, and both forms
        ApiHttp.Response response = http.post(BATCH, """
                {"workflows": [
                  {"definition": "orders", "input": {"amount": 1}, "idempotencyKey": "k-1"},
                  {"definition": "orders", "input": {"amount": 2}, "idempotencyKey": "k-2"},
                  {"tasks": [{"id": "a", "type": "inline"}]},
                  {"definition": "no-such-definition"},
                  {"definition": "orders@x"},
                  {"definition": "orders", "tasks": [{"id": "a", "type": "inline"}]},
                  {"definition": "orders", "input": {"amount": 3}, "idempotencyKey": "k-1"}
                ]}""");

        // then the request is 200 and each submit has the answer POST /workflows would give, its field placed
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode results = response.json().get("results");
        assertThat(results.size()).isEqualTo(7);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(0).get("id").asString()).isEqualTo(earlier);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(201);
        assertThat(results.get(2).get("status").asInt()).isEqualTo(201);
        assertResultProblem(results.get(3), 404, ProblemType.DEFINITION_NOT_FOUND, "workflows[3].definition");
        assertResultProblem(results.get(4), 400, ProblemType.INVALID_REQUEST, "workflows[4].definition");
        assertResultProblem(results.get(5), 400, ProblemType.INVALID_REQUEST, "workflows[5].definition");
        assertResultProblem(results.get(6), 422, ProblemType.IDEMPOTENCY_CONFLICT, "workflows[6].idempotencyKey");
        // and the new workflows exist, running as submitted
        JsonNode second = http.get(WORKFLOWS + "/" + results.get(1).get("id").asString()).json();
        assertThat(second.get("status").asString()).isEqualTo("RUNNING");
        assertThat(second.get("input").get("amount").asInt()).isEqualTo(2);
        assertThat(http.get(WORKFLOWS + "/" + results.get(2).get("id").asString()).status()).isEqualTo(200);
    }

    @Test
    void shouldAnswerOverloadPerSubmitWithRetryAfterAndCommitNothingForIt() {
        // given a Raft layer that refuses the next proposal
        registerOrders();
        gateway.failNextSubmit(new OverloadedException("too many in flight", RefusalReason.PROPOSAL_QUEUE_FULL,
                Duration.ofSeconds(2)));

        // when a batch of two is submitted
        JsonNode results = http.post(BATCH, """
                {"workflows": [{"definition": "orders", "idempotencyKey": "o-1"},
                               {"definition": "orders", "idempotencyKey": "o-2"}]}""").json().get("results");

        // then the refused one is 429 with when to send it again, the other is started
        assertThat(results.get(0).get("status").asInt()).isEqualTo(429);
        assertThat(results.get(0).get("problem").get("retryAfterSeconds").asLong()).isEqualTo(2);
        assertThat(results.get(0).has("id")).isFalse();
        assertThat(results.get(1).get("status").asInt()).isEqualTo(201);
        // and sending the refused one again starts it (it was never committed: 201, not 200)
        JsonNode again = http.post(BATCH, "{\"workflows\": [{\"definition\": \"orders\", \"idempotencyKey\": \"o-1\"}]}")
                .json().get("results").get(0);
        assertThat(again.get("status").asInt()).isEqualTo(201);
    }

    @Test
    void shouldRefuseAMalformedBatchAsAWhole() {
        assertProblem(http.post(BATCH, "{\"workflows\": []}"), 400, ProblemType.INVALID_REQUEST, "workflows");
        assertProblem(http.post(BATCH, "{}"), 400, ProblemType.INVALID_REQUEST, "workflows");
        assertProblem(http.post(BATCH, "{\"workflows\": [{\"definition\": \"orders\"}, null]}"), 400,
                ProblemType.INVALID_REQUEST, "workflows[1]");
        String tooMany = "{\"workflows\": [" + "{\"definition\": \"orders\"},".repeat(500) + "{\"definition\": \"orders\"}]}";
        assertProblem(http.post(BATCH, tooMany), 400, ProblemType.INVALID_REQUEST, "workflows");
        assertProblem(http.post(BATCH, "{\"workflows\": [{\"definition\": \"orders\"}]}", "Idempotency-Key", "b-1"),
                400, ProblemType.INVALID_REQUEST, "Idempotency-Key");
        assertThat(http.get(WORKFLOWS).json().get("items").size()).as("nothing was started").isZero();
    }

    @Test
    void shouldHoldAWaitForManyUntilOneOfThemEnds() {
        // given two running workflows and a client waiting up to 10 s for either
        String first = submitOneTask();
        String second = submitOneTask();
        long started = System.nanoTime();
        CompletableFuture<ApiHttp.Response> waiting = http.postAsync(ENDS,
                "{\"workflowIds\": [\"" + first + "\", \"" + second + "\"], \"waitMs\": 10000}");
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.waitingForEnds() == 2);
        assertThat(waiting).isNotDone();

        // when the second one's task completes
        completeOneTask(second);

        // then the wait answers that one, long before its 10 s, and holds no registration any more
        ApiHttp.Response response = waiting.join();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode ended = response.json().get("ended");
        assertThat(ended.size()).isEqualTo(1);
        assertThat(ended.get(0).get("id").asString()).isEqualTo(second);
        assertThat(ended.get(0).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(ended.get(0).has("finishedAt")).isTrue();
        assertThat(response.json().get("notFound").size()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldAnswerEndedAndUnknownAtOnceInTheOrderAsked() {
        // given a cancelled workflow, a running one, and an id of none
        String cancelled = submitOneTask();
        assertThat(http.post(WORKFLOWS + "/" + cancelled + "/cancel", null).status()).isEqualTo(200);
        String running = submitOneTask();
        long started = System.nanoTime();

        // when a client waits up to 10 s for them
        ApiHttp.Response response = http.post(ENDS, "{\"workflowIds\": [\"no-such-workflow\", \"" + running + "\", \""
                + cancelled + "\"], \"waitMs\": 10000}");

        // then it is answered at once: the cancelled one ended, the unknown one is named, the running one in neither
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("ended").size()).isEqualTo(1);
        assertThat(response.json().get("ended").get(0).get("id").asString()).isEqualTo(cancelled);
        assertThat(response.json().get("ended").get(0).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(response.json().get("notFound").get(0).asString()).isEqualTo("no-such-workflow");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void shouldAnswerNothingEndedWhenTheWaitPasses() {
        String running = submitOneTask();
        long started = System.nanoTime();

        ApiHttp.Response response = http.post(ENDS, "{\"workflowIds\": [\"" + running + "\"], \"waitMs\": 300}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("ended").size()).isZero();
        assertThat(response.json().get("notFound").size()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(gateway.waitingForEnds()).isZero();
    }

    @Test
    void shouldRefuseAMalformedWaitForMany() {
        assertProblem(http.post(ENDS, "{\"workflowIds\": []}"), 400, ProblemType.INVALID_REQUEST, "workflowIds");
        assertProblem(http.post(ENDS, "{\"workflowIds\": [\"a\", null]}"), 400, ProblemType.INVALID_REQUEST,
                "workflowIds[1]");
        assertProblem(http.post(ENDS, "{\"workflowIds\": \"a\"}"), 400, ProblemType.INVALID_REQUEST, "workflowIds");
        assertProblem(http.post(ENDS, "{\"workflowIds\": [\"a\", \"b c\"]}"), 400, ProblemType.INVALID_REQUEST,
                "workflowIds[1]");
        assertProblem(http.post(ENDS, "{\"workflowIds\": [\"a\", \"b\", \"a\"]}"), 400, ProblemType.INVALID_REQUEST,
                "workflowIds[2]");
        assertProblem(http.post(ENDS, "{\"workflowIds\": [\"a\"], \"waitMs\": 60001}"), 400,
                ProblemType.INVALID_REQUEST, "waitMs");
        String tooMany = "{\"workflowIds\": [" + "\"a\",".repeat(1_000) + "\"a\"]}";
        assertProblem(http.post(ENDS, tooMany), 400, ProblemType.INVALID_REQUEST, "workflowIds");
    }

    private String submitOneTask() {
        ApiHttp.Response response = http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"ends-test\"}]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private void completeOneTask(String workflowId) {
        JsonNode leases = http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"ends-test\"], \"maxTasks\": 10}")
                .json();
        for (JsonNode lease : leases) {
            if (lease.get("workflowId").asString().equals(workflowId)) {
                assertThat(http.post("/api/v1/leases/" + lease.get("leaseId").asString() + "/complete", "{}").status())
                        .isEqualTo(200);
                return;
            }
        }
        throw new AssertionError("no lease of " + workflowId + " in " + leases);
    }

    private static void assertResultProblem(JsonNode result, int status, ProblemType type, String field) {
        assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(status);
        assertThat(result.has("id")).as(result.toString()).isFalse();
        assertThat(result.get("problem").get("type").asString()).isEqualTo(type.uri().toString());
        assertThat(result.get("problem").get("field").asString()).isEqualTo(field);
    }
}
