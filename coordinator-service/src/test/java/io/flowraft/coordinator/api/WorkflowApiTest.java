package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkflowApiTest extends ApiTestSupport {

    @Test
    void shouldSubmitFromDefinitionAndAnswerTheCommittedView() {
        // given
        registerOrders();

        // when
        ApiHttp.Response response = http.post(WORKFLOWS, "{\"definition\": \"orders\", \"input\": {\"amount\": 42}}");

        // then
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode view = response.json();
        String id = view.get("id").asString();
        assertThat(response.header("Location")).isEqualTo("/api/v1/workflows/" + id);
        assertThat(view.get("definition").asString()).isEqualTo("orders@1");
        assertThat(view.get("status").asString()).isEqualTo("RUNNING");
        assertThat(view.get("input").get("amount").asInt()).isEqualTo(42);
        assertThat(view.get("createdAt").asString()).isEqualTo("2025-06-15T15:06:40Z");
        assertThat(view.has("finishedAt")).isFalse();
        JsonNode charge = view.get("tasks").get(0);
        assertThat(charge.get("status").asString()).isEqualTo("READY");
        assertThat(charge.get("input").get("amount").asInt()).as("rendered input keeps the JSON type").isEqualTo(42);
        assertThat(charge.get("readyAt").asString()).isEqualTo("2025-06-15T15:06:40Z");
        assertThat(view.get("tasks").get(1).get("status").asString()).isEqualTo("PENDING");
        assertThat(view.get("tasks").get(1).get("dependsOn").get(0).asString()).isEqualTo("charge");
    }

    @Test
    void shouldSubmitInlineDag() {
        ApiHttp.Response response = http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"echo\"}]}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().has("definition")).isFalse();
    }

    @Test
    void shouldAnswerTheSameWorkflowForARepeatedIdempotencyKey() {
        registerOrders();
        String body = "{\"definition\": \"orders\", \"input\": {\"amount\": 1}}";
        ApiHttp.Response first = http.post(WORKFLOWS, body, "Idempotency-Key", "order-17");

        ApiHttp.Response repeat = http.post(WORKFLOWS, body, "Idempotency-Key", "order-17");
        ApiHttp.Response repeatInBody = http.post(WORKFLOWS,
                "{\"definition\": \"orders\", \"input\": {\"amount\": 1}, \"idempotencyKey\": \"order-17\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeatInBody.status()).isEqualTo(200);
        String id = first.json().get("id").asString();
        assertThat(repeat.json().get("id").asString()).isEqualTo(id);
        assertThat(repeatInBody.json().get("id").asString()).isEqualTo(id);
        assertThat(repeat.header("Location")).isEqualTo("/api/v1/workflows/" + id);
        assertThat(http.get(WORKFLOWS).json().get("items").size()).isEqualTo(1);
    }

    @Test
    void shouldRejectTheSameKeyWithADifferentRequest() {
        registerOrders();
        http.post(WORKFLOWS, "{\"definition\": \"orders\", \"input\": {\"amount\": 1}}", "Idempotency-Key", "k1");

        ApiHttp.Response other = http.post(WORKFLOWS, "{\"definition\": \"orders\", \"input\": {\"amount\": 2}}",
                "Idempotency-Key", "k1");

        assertProblem(other, 422, ProblemType.IDEMPOTENCY_CONFLICT, "idempotencyKey");
    }

    @Test
    void shouldRejectDifferentKeysInHeaderAndBody() {
        registerOrders();

        ApiHttp.Response response = http.post(WORKFLOWS, "{\"definition\": \"orders\", \"idempotencyKey\": \"a\"}",
                "Idempotency-Key", "b");

        assertProblem(response, 400, ProblemType.INVALID_REQUEST, "idempotencyKey");
    }

    @Test
    void shouldRejectSubmitOfUnknownDefinition() {
        assertProblem(http.post(WORKFLOWS, "{\"definition\": \"nope\"}"), 404, ProblemType.DEFINITION_NOT_FOUND,
                "definition");
        assertProblem(http.post(WORKFLOWS, "{\"definition\": \"nope@x\"}"), 400, ProblemType.INVALID_REQUEST,
                "definition");
    }

    @Test
    void shouldRejectBothOrNeitherOfDefinitionAndTasks() {
        registerOrders();

        assertProblem(http.post(WORKFLOWS, "{\"input\": {}}"), 400, ProblemType.INVALID_REQUEST, "definition");
        assertProblem(http.post(WORKFLOWS, "{\"definition\": \"orders\", \"tasks\": [{\"id\": \"a\", \"type\": \"t\"}]}"),
                400, ProblemType.INVALID_REQUEST, "definition");
    }

    @Test
    void shouldIgnoreStateAClientTriesToSet() {
        // A client cannot set status or lease fields: unknown members are ignored, never applied.
        ApiHttp.Response response = http.post(WORKFLOWS,
                "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\", \"status\": \"COMPLETED\", \"leaseEpoch\": 99}],"
                        + " \"status\": \"COMPLETED\", \"id\": \"mine\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(response.json().get("id").asString()).isNotEqualTo("mine");
        assertThat(response.json().get("tasks").get(0).get("status").asString()).isEqualTo("READY");
    }

    @Test
    void shouldGetWorkflowLinearizablyOrStale() {
        registerOrders();
        String id = submitOrder(5);

        ApiHttp.Response linear = http.get(WORKFLOWS + "/" + id);
        ApiHttp.Response stale = http.get(WORKFLOWS + "/" + id + "?consistency=stale");

        assertThat(linear.status()).isEqualTo(200);
        assertThat(linear.json().get("id").asString()).isEqualTo(id);
        assertThat(stale.status()).isEqualTo(200);
        assertProblem(http.get(WORKFLOWS + "/" + id + "?consistency=eventual"), 400, ProblemType.INVALID_REQUEST,
                "consistency");
    }

    @Test
    void shouldAnswerNotFoundForUnknownWorkflowAndBadRequestForMalformedId() {
        assertProblem(http.get(WORKFLOWS + "/no-such-workflow"), 404, ProblemType.WORKFLOW_NOT_FOUND, "workflowId");
        assertProblem(http.get(WORKFLOWS + "/a%01b"), 400, ProblemType.INVALID_REQUEST, "workflowId");
        assertProblem(http.get(WORKFLOWS + "/" + "x".repeat(1_000)), 400, ProblemType.INVALID_REQUEST, "workflowId");
        assertProblem(http.get(WORKFLOWS + "/a..b"), 400, ProblemType.INVALID_REQUEST, "workflowId");
        // Tomcat itself refuses an encoded '/' and a request line over its header limit (8 KiB), before
        // Spring sees the request: 400 still, but with Tomcat's own body.
        assertThat(http.get(WORKFLOWS + "/..%2F..%2Fetc").status()).isEqualTo(400);
        assertThat(http.get(WORKFLOWS + "/" + "x".repeat(10_000)).status()).isEqualTo(400);
        assertProblem(http.get(WORKFLOWS + "/no-such-workflow/history"), 404, ProblemType.WORKFLOW_NOT_FOUND,
                "workflowId");
    }

    @Test
    void shouldPageThroughWorkflowsInIdOrderWithCursor() {
        // given five workflows
        registerOrders();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submitOrder(i));
        }
        ids.sort(null);

        // when paging two at a time
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiHttp.Response page = http.get(WORKFLOWS + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("id").asString()));
            cursor = page.json().path("nextCursor").isMissingNode() ? null : page.json().get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);

        // then every workflow once, in id order
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void shouldFilterListByStatusAndDefinition() {
        registerOrders();
        String running = submitOrder(1);
        String cancelled = submitOrder(2);
        http.post(WORKFLOWS + "/" + cancelled + "/cancel", null);
        http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\"}]}");

        JsonNode byStatus = http.get(WORKFLOWS + "?status=CANCELLED").json().get("items");
        JsonNode byDefinition = http.get(WORKFLOWS + "?definition=orders").json().get("items");
        JsonNode byVersion = http.get(WORKFLOWS + "?definition=orders@2").json().get("items");
        JsonNode both = http.get(WORKFLOWS + "?definition=orders@1&status=running").json().get("items");

        assertThat(byStatus.size()).isEqualTo(1);
        assertThat(byStatus.get(0).get("id").asString()).isEqualTo(cancelled);
        assertThat(byStatus.get(0).get("definition").asString()).isEqualTo("orders@1");
        assertThat(byDefinition.size()).isEqualTo(2);
        assertThat(byVersion.size()).isZero();
        assertThat(both.size()).isEqualTo(1);
        assertThat(both.get(0).get("id").asString()).isEqualTo(running);
    }

    @Test
    void shouldRejectBadListParameters() {
        assertProblem(http.get(WORKFLOWS + "?limit=0"), 400, ProblemType.INVALID_REQUEST, "limit");
        assertProblem(http.get(WORKFLOWS + "?limit=501"), 400, ProblemType.INVALID_REQUEST, "limit");
        assertProblem(http.get(WORKFLOWS + "?limit=many"), 400, ProblemType.INVALID_REQUEST, "limit");
        assertProblem(http.get(WORKFLOWS + "?status=SLEEPING"), 400, ProblemType.INVALID_REQUEST, "status");
        assertProblem(http.get(WORKFLOWS + "?cursor=not-a-cursor"), 400, ProblemType.INVALID_REQUEST, "cursor");
        assertProblem(http.get(WORKFLOWS + "?definition=a@b"), 400, ProblemType.INVALID_REQUEST, "definition");
    }

    @Test
    void shouldListCommittedHistoryInLogOrder() {
        registerOrders();
        String id = submitOrder(3);
        JsonNode lease = pollNow("w1", "payment").get(0);
        http.post("/api/v1/leases/" + lease.get("leaseId").asString() + "/complete", "{\"output\": {\"ok\": true}}");

        ApiHttp.Response response = http.get(WORKFLOWS + "/" + id + "/history");

        assertThat(response.status()).isEqualTo(200);
        JsonNode history = response.json();
        assertThat(history.get("workflowId").asString()).isEqualTo(id);
        List<String> kinds = new ArrayList<>();
        history.get("entries").forEach(e -> kinds.add(e.get("kind").asString()));
        assertThat(kinds).containsSubsequence("WorkflowSubmitted", "TaskReadied", "LeaseGranted", "TaskCompleted",
                "TaskReadied");
        JsonNode granted = history.get("entries").get(kinds.indexOf("LeaseGranted"));
        assertThat(granted.get("leaseId").asString()).isEqualTo(lease.get("leaseId").asString());
        assertThat(granted.get("attempt").asInt()).isEqualTo(1);
        assertThat(granted.get("taskId").asString()).isEqualTo("charge");
        long previous = 0;
        for (JsonNode entry : history.get("entries")) {
            assertThat(entry.get("index").asLong()).isGreaterThanOrEqualTo(previous);
            previous = entry.get("index").asLong();
        }
    }

    @Test
    void shouldCancelAndRevokeLeases() {
        // given a workflow whose first task is leased
        registerOrders();
        String id = submitOrder(3);
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();

        // when
        ApiHttp.Response cancelled = http.post(WORKFLOWS + "/" + id + "/cancel", "{\"reason\": \"customer asked\"}");

        // then
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().get("tasks").get(0).get("status").asString()).isEqualTo("CANCELLED");
        assertProblem(http.post("/api/v1/leases/" + leaseId + "/complete", "{}"), 409, ProblemType.STALE_LEASE,
                "leaseId");
        assertThat(http.post(WORKFLOWS + "/" + id + "/cancel", null).status()).as("cancel again").isEqualTo(200);
    }

    @Test
    void shouldRefuseToCancelFinishedOrUnknownWorkflow() {
        String id = http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"solo\"}]}").json().get("id").asString();
        String leaseId = pollNow("w", "solo").get(0).get("leaseId").asString();
        http.post("/api/v1/leases/" + leaseId + "/complete", null);

        assertProblem(http.post(WORKFLOWS + "/" + id + "/cancel", null), 409, ProblemType.WORKFLOW_FINISHED, "workflowId");
        assertProblem(http.post(WORKFLOWS + "/nope/cancel", null), 404, ProblemType.WORKFLOW_NOT_FOUND, "workflowId");
    }
}
