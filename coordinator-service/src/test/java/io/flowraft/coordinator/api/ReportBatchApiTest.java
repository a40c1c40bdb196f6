package io.flowraft.coordinator.api;

import io.flowraft.contracts.RefusalReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/reports}: each report in a batch is answered as its own single-report request would be. */
class ReportBatchApiTest extends ApiTestSupport {

    private static final String REPORTS = "/api/v1/reports";

    @BeforeEach
    void givenTwoOrders() {
        registerOrders();
        submitOrder(1);
        submitOrder(2);
    }

    @Test
    void shouldAnswerEachReportOnItsOwn() {
        // given two leases, one of them reported already with another output
        JsonNode leases = pollNow("w1", "payment");
        String first = leases.get(0).get("leaseId").asString();
        String second = leases.get(1).get("leaseId").asString();
        http.post("/api/v1/leases/" + second + "/complete", "{\"output\": {\"n\": 1}}");

        // when both are reported in one batch, with a malformed lease id and a failure
        ApiHttp.Response response = http.post(REPORTS, """
                {"reports": [
                  {"leaseId": "%s", "outcome": "COMPLETED", "output": {"charged": 1}},
                  {"leaseId": "%s", "outcome": "COMPLETED", "output": {"n": 2}},
                  {"leaseId": "not-a-lease", "outcome": "COMPLETED"},
                  {"leaseId": "%s", "outcome": "COMPLETED", "output": {"n": 1}}
                ]}""".formatted(first, second, second));

        // then the request is 200 and each report has the answer its own endpoint would give
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode results = response.json().get("results");
        assertThat(results.size()).isEqualTo(4);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(0).get("report").get("taskStatus").asString()).isEqualTo("COMPLETED");
        assertThat(results.get(0).get("report").get("duplicate").asBoolean()).isFalse();
        assertThat(results.get(1).get("status").asInt()).isEqualTo(409);
        assertThat(results.get(1).get("problem").get("type").asString()).isEqualTo(ProblemType.REPORT_CONFLICT.uri().toString());
        assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(2).get("problem").get("field").asString()).isEqualTo("reports[2].leaseId");
        assertThat(results.get(3).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(3).get("report").get("duplicate").asBoolean()).isTrue();
        // and the accepted completion moved its workflow on
        String workflowId = results.get(0).get("report").get("workflowId").asString();
        JsonNode view = http.get(WORKFLOWS + "/" + workflowId).json();
        assertThat(view.get("tasks").get(0).get("output").get("charged").asInt()).isEqualTo(1);
        assertThat(view.get("tasks").get(1).get("status").asString()).isEqualTo("READY");
    }

    @Test
    void shouldFailARetryableFailureAndAnswerAStaleLease() {
        // given a lease that expired and was granted again
        String stale = pollNow("w1", "payment").get(0).get("leaseId").asString();
        gateway.advance(Duration.ofMinutes(5));
        gateway.submit(new ExpireLeases(0)).join();
        gateway.advance(Duration.ofSeconds(2)); // past the retry backoff
        String current = pollNow("w2", "payment").get(0).get("leaseId").asString();

        // when
        ApiHttp.Response response = http.post(REPORTS, """
                {"reports": [
                  {"leaseId": "%s", "outcome": "COMPLETED"},
                  {"leaseId": "%s", "outcome": "FAILED", "error": "card declined", "retryable": true}
                ]}""".formatted(stale, current));

        // then
        JsonNode results = response.json().get("results");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(409);
        assertThat(results.get(0).get("problem").get("type").asString()).isEqualTo(ProblemType.STALE_LEASE.uri().toString());
        assertThat(results.get(1).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(1).get("report").get("taskStatus").asString()).isEqualTo("READY");
    }

    @Test
    void shouldAnswerOverloadPerReportWithRetryAfter() {
        // given a lease, and a Raft layer that refuses the next proposal
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();
        gateway.failNextSubmit(new OverloadedException("too many in flight", RefusalReason.PROPOSAL_QUEUE_FULL,
                Duration.ofSeconds(2)));

        // when
        ApiHttp.Response response = http.post(REPORTS,
                "{\"reports\": [{\"leaseId\": \"" + leaseId + "\", \"outcome\": \"COMPLETED\"}]}");

        // then the report is answered 429 with when to send it again, and nothing was committed
        JsonNode result = response.json().get("results").get(0);
        assertThat(result.get("status").asInt()).isEqualTo(429);
        assertThat(result.get("problem").get("retryAfterSeconds").asLong()).isEqualTo(2);
        assertThat(http.post("/api/v1/leases/" + leaseId + "/complete", null).json().get("duplicate").asBoolean())
                .isFalse();
    }

    @Test
    void shouldRefuseAMalformedBatch() {
        assertProblem(http.post(REPORTS, "{\"reports\": []}"), 400, ProblemType.INVALID_REQUEST, "reports");
        String tooMany = "{\"reports\": [" + "{\"leaseId\": \"w.t.1\", \"outcome\": \"COMPLETED\"},".repeat(1_000)
                + "{\"leaseId\": \"w.t.1\", \"outcome\": \"COMPLETED\"}]}";
        assertProblem(http.post(REPORTS, tooMany), 400, ProblemType.INVALID_REQUEST, "reports");
        JsonNode noOutcome = http.post(REPORTS, "{\"reports\": [{\"leaseId\": \"w.t.1\"}]}").json();
        assertThat(noOutcome.get("results").get(0).get("status").asInt()).isEqualTo(400);
        assertThat(noOutcome.get("results").get(0).get("problem").get("field").asString()).isEqualTo("reports[0].outcome");
    }
}
