package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LeaseApiTest extends ApiTestSupport {

    private static final String LEASES = "/api/v1/leases/";

    private String workflowId;

    @BeforeEach
    void givenAnOrder() {
        registerOrders();
        workflowId = submitOrder(7);
    }

    @Test
    void shouldPollALeaseWithEverythingAWorkerNeeds() {
        // when
        ApiHttp.Response response = http.post(POLL,
                "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"maxTasks\": 5, \"leaseMs\": 10000}");

        // then
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode leases = response.json();
        assertThat(leases.isArray()).isTrue();
        assertThat(leases.size()).isEqualTo(1);
        JsonNode lease = leases.get(0);
        assertThat(lease.get("leaseId").asString()).startsWith(workflowId + ".charge.");
        assertThat(lease.get("workflowId").asString()).isEqualTo(workflowId);
        assertThat(lease.get("taskId").asString()).isEqualTo("charge");
        assertThat(lease.get("type").asString()).isEqualTo("payment");
        assertThat(lease.get("attempt").asInt()).isEqualTo(1);
        assertThat(lease.get("input").get("amount").asInt()).isEqualTo(7);
        assertThat(lease.get("idempotencyKey").asString()).isEqualTo(workflowId + "/charge");
        assertThat(Instant.parse(lease.get("leaseExpiresAt").asString()))
                .isEqualTo(Instant.ofEpochMilli(gateway.now() + 10_000));
    }

    @Test
    void shouldAnswerEmptyArrayWhenNothingIsReady() {
        ApiHttp.Response response = http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"nothing-here\"]}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
    }

    @Test
    void shouldReturnTheSameLeasesForARetriedPollId() {
        String body = "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"pollId\": \"p-1\"}";
        JsonNode first = http.post(POLL, body).json();

        JsonNode retried = http.post(POLL, body).json();

        assertThat(retried.size()).isEqualTo(1);
        assertThat(retried.get(0).get("leaseId").asString()).isEqualTo(first.get(0).get("leaseId").asString());
    }

    @Test
    void shouldHeartbeatCompleteAndMoveTheWorkflowOn() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();
        gateway.advance(Duration.ofSeconds(5));

        ApiHttp.Response heartbeat = http.post(LEASES + leaseId + "/heartbeat", null);
        ApiHttp.Response complete = http.post(LEASES + leaseId + "/complete", "{\"output\": {\"charged\": 7}}");

        assertThat(heartbeat.status()).as(heartbeat.body()).isEqualTo(200);
        assertThat(heartbeat.json().get("leaseId").asString()).isEqualTo(leaseId);
        assertThat(Instant.parse(heartbeat.json().get("leaseExpiresAt").asString()))
                .isEqualTo(Instant.ofEpochMilli(gateway.now() + 30_000));
        assertThat(complete.status()).as(complete.body()).isEqualTo(200);
        assertThat(complete.json().get("taskStatus").asString()).isEqualTo("COMPLETED");
        assertThat(complete.json().get("duplicate").asBoolean()).isFalse();
        assertThat(complete.json().get("workflowId").asString()).isEqualTo(workflowId);
        JsonNode view = http.get(WORKFLOWS + "/" + workflowId).json();
        assertThat(view.get("tasks").get(0).get("output").get("charged").asInt()).isEqualTo(7);
        assertThat(view.get("tasks").get(1).get("status").asString()).isEqualTo("READY");
    }

    @Test
    void shouldAnswerDuplicateForTheSameReportAndConflictForAnother() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();
        http.post(LEASES + leaseId + "/complete", "{\"output\": {\"n\": 1}}");

        ApiHttp.Response same = http.post(LEASES + leaseId + "/complete", "{\"output\": {\"n\": 1}}");
        ApiHttp.Response different = http.post(LEASES + leaseId + "/complete", "{\"output\": {\"n\": 2}}");

        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("duplicate").asBoolean()).isTrue();
        assertProblem(different, 409, ProblemType.REPORT_CONFLICT, "output");
    }

    @Test
    void shouldRetryAFailedTaskAndTreatTheRepeatAsDuplicate() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();

        ApiHttp.Response failed = http.post(LEASES + leaseId + "/fail", "{\"error\": \"card declined\", \"retryable\": true}");
        ApiHttp.Response again = http.post(LEASES + leaseId + "/fail", "{\"error\": \"card declined\"}");

        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        assertThat(failed.json().get("taskStatus").asString()).isEqualTo("READY");
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        JsonNode task = http.get(WORKFLOWS + "/" + workflowId).json().get("tasks").get(0);
        assertThat(task.get("error").asString()).isEqualTo("card declined");
        assertThat(Instant.parse(task.get("readyAt").asString()))
                .as("readyAt shows the end of the retry backoff").isEqualTo(Instant.ofEpochMilli(gateway.now() + 1_000));
    }

    @Test
    void shouldFailForGoodWhenNotRetryable() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();

        ApiHttp.Response failed = http.post(LEASES + leaseId + "/fail", "{\"error\": \"fraud\", \"retryable\": false}");

        assertThat(failed.json().get("taskStatus").asString()).isEqualTo("FAILED");
        assertThat(http.get(WORKFLOWS + "/" + workflowId).json().get("status").asString()).isEqualTo("FAILED");
    }

    @Test
    void shouldRejectReportOfAWorkerWhoseLeaseWasSuperseded() {
        // given worker A's lease expired and the retry was leased to worker B
        String leaseOfA = pollNow("worker-a", "payment").get(0).get("leaseId").asString();
        gateway.advance(Duration.ofSeconds(31));
        gateway.submit(new ExpireLeases(0)).join();
        gateway.advance(Duration.ofSeconds(2));
        String leaseOfB = pollNow("worker-b", "payment").get(0).get("leaseId").asString();

        // when A completes under its old lease
        ApiHttp.Response stale = http.post(LEASES + leaseOfA + "/complete", "{\"output\": \"late\"}");
        ApiHttp.Response staleHeartbeat = http.post(LEASES + leaseOfA + "/heartbeat", null);

        // then it is fenced off, and B's lease still works
        JsonNode problem = assertProblem(stale, 409, ProblemType.STALE_LEASE, "leaseId");
        assertThat(problem.get("detail").asString()).contains(leaseOfB);
        assertProblem(staleHeartbeat, 409, ProblemType.STALE_LEASE, "leaseId");
        assertThat(http.post(LEASES + leaseOfB + "/complete", null).status()).isEqualTo(200);
    }

    @Test
    void shouldRejectReportAfterTheLeaseExpired() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();
        gateway.advance(Duration.ofSeconds(31));

        assertProblem(http.post(LEASES + leaseId + "/complete", null), 409, ProblemType.LEASE_EXPIRED, "leaseId");
    }

    @Test
    void shouldRejectMalformedAndUnknownLeaseIds() {
        assertProblem(http.post(LEASES + "not-a-lease/complete", null), 400, ProblemType.INVALID_REQUEST, "leaseId");
        assertProblem(http.post(LEASES + "a.b.-1/heartbeat", null), 400, ProblemType.INVALID_REQUEST, "leaseId");
        assertProblem(http.post(LEASES + "w%01x.t.1/fail", null), 400, ProblemType.INVALID_REQUEST, "leaseId");
        assertProblem(http.post(LEASES + workflowId + ".charge.999/complete", null), 404, ProblemType.LEASE_NOT_FOUND,
                "leaseId");
        assertProblem(http.post(LEASES + "ghost.charge.1/complete", null), 404, ProblemType.LEASE_NOT_FOUND, "leaseId");
    }

    @Test
    void shouldRejectAbsurdPollParameters() {
        assertProblem(poll("\"maxTasks\": 100000"), 400, ProblemType.INVALID_REQUEST, "maxTasks");
        assertProblem(poll("\"maxTasks\": 0"), 400, ProblemType.INVALID_REQUEST, "maxTasks");
        assertProblem(poll("\"waitMs\": 3600000"), 400, ProblemType.INVALID_REQUEST, "waitMs");
        assertProblem(poll("\"waitMs\": -1"), 400, ProblemType.INVALID_REQUEST, "waitMs");
        assertProblem(poll("\"leaseMs\": 10"), 400, ProblemType.INVALID_REQUEST, "leaseMs");
        assertProblem(poll("\"leaseMs\": 90000000"), 400, ProblemType.INVALID_REQUEST, "leaseMs");
        assertProblem(poll("\"maxTasks\": \"lots\""), 400, ProblemType.INVALID_REQUEST, "maxTasks");
        assertProblem(http.post(POLL, "{\"workerId\": \"w\", \"taskTypes\": []}"), 400, ProblemType.INVALID_REQUEST,
                "taskTypes");
        assertProblem(http.post(POLL, "{\"taskTypes\": [\"payment\"]}"), 400, ProblemType.INVALID_REQUEST, "workerId");
        assertProblem(http.post(POLL, "{\"workerId\": \"w\\u0007\", \"taskTypes\": [\"payment\"]}"), 400,
                ProblemType.INVALID_REQUEST, "workerId");
        assertThat(gateway.leaseProposals()).as("nothing was granted").isLessThanOrEqualTo(3);
        assertThat(http.get(WORKFLOWS + "/" + workflowId).json().get("tasks").get(0).get("status").asString())
                .isEqualTo("READY");
    }

    private ApiHttp.Response poll(String extra) {
        return http.post(POLL, "{\"workerId\": \"w\", \"taskTypes\": [\"payment\"], " + extra + "}");
    }
}
