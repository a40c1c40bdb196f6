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

    @Test
    void shouldGrantTheSuccessorInTheSameExchangeThatReportsItsPredecessor() {
        // given a worker holding both payment leases
        JsonNode leases = pollNow("w1", "payment");
        int proposalsBefore = gateway.leaseProposals();

        // when it reports one of them and asks for two more leases of payment or shipping in the same request
        ApiHttp.Response response = http.post(REPORTS, """
                {"reports": [{"leaseId": "%s", "outcome": "COMPLETED", "output": {"charged": 1}}],
                 "next": {"workerId": "w1", "taskTypes": ["payment", "shipping"], "maxTasks": 2, "leaseMs": 5000,
                          "pollId": "exchange-1", "poller": "report-0"}}""".formatted(leases.get(0).get("leaseId").asString()));

        // then the report is answered and the shipping task it made READY is leased to the same worker at once
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("results").get(0).get("status").asInt()).isEqualTo(200);
        String workflowId = body.get("results").get(0).get("report").get("workflowId").asString();
        assertThat(body.get("leases").size()).as(body.toString()).isEqualTo(1);
        JsonNode successor = body.get("leases").get(0);
        assertThat(successor.get("workflowId").asString()).isEqualTo(workflowId);
        assertThat(successor.get("taskId").asString()).isEqualTo("ship");
        assertThat(successor.get("leaseRemainingMs").asLong()).isEqualTo(5000);
        assertThat(body.has("leasesProblem")).isFalse();
        assertThat(gateway.leaseProposals()).isEqualTo(proposalsBefore + 1);
        JsonNode ship = http.get(WORKFLOWS + "/" + workflowId).json().get("tasks").get(1);
        assertThat(ship.get("status").asString()).isEqualTo("LEASED");

        // and a retry of the exchange (its answer lost) gets the same lease back from a poll with the same ids
        JsonNode again = http.post(POLL, """
                {"workerId": "w1", "taskTypes": ["payment", "shipping"], "maxTasks": 2, "leaseMs": 5000,
                 "pollId": "exchange-1", "poller": "report-0"}""").json();
        assertThat(again.size()).isEqualTo(1);
        assertThat(again.get(0).get("leaseId").asString()).isEqualTo(successor.get("leaseId").asString());
    }

    @Test
    void shouldLeaseTheReportedWorkflowsSuccessorBeforeAnOlderReadyTask() {
        // given workflow X's first step leased, while workflow Y's first step sits READY, older than X's successor
        JsonNode first = http.post(POLL, "{\"workerId\": \"w1\", \"taskTypes\": [\"payment\"], \"maxTasks\": 1}").json();
        assertThat(first.size()).isEqualTo(1);
        String x = first.get(0).get("workflowId").asString();
        gateway.advance(Duration.ofMillis(10));

        // when the worker reports X's step and asks for one more task of either step's type
        ApiHttp.Response response = http.post(REPORTS, """
                {"reports": [{"leaseId": "%s", "outcome": "COMPLETED", "output": {"charged": 1}}],
                 "next": {"workerId": "w1", "taskTypes": ["payment", "shipping"], "maxTasks": 1}}"""
                .formatted(first.get(0).get("leaseId").asString()));

        // then it gets X's successor, not Y's older READY step
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode leases = response.json().get("leases");
        assertThat(leases.size()).as(response.body()).isEqualTo(1);
        assertThat(leases.get(0).get("workflowId").asString()).isEqualTo(x);
        assertThat(leases.get(0).get("taskId").asString()).isEqualTo("ship");
        // and Y's step is still READY for the next poll
        JsonNode other = pollNow("w2", "payment");
        assertThat(other.size()).isEqualTo(1);
        assertThat(other.get(0).get("workflowId").asString()).isNotEqualTo(x);
        assertThat(other.get(0).get("taskId").asString()).isEqualTo("charge");
    }

    @Test
    void shouldAnswerReportsWithoutLeasesWhenNoNextIsAsked() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();

        JsonNode body = http.post(REPORTS, "{\"reports\": [{\"leaseId\": \"" + leaseId + "\", \"outcome\": \"COMPLETED\"}]}")
                .json();

        assertThat(body.get("results").get(0).get("status").asInt()).isEqualTo(200);
        assertThat(body.has("leases")).isFalse();
        assertThat(body.has("leasesProblem")).isFalse();
    }

    @Test
    void shouldRefuseAMalformedNextPollBeforeCommittingAnyReport() {
        String leaseId = pollNow("w1", "payment").get(0).get("leaseId").asString();
        String report = "{\"leaseId\": \"" + leaseId + "\", \"outcome\": \"COMPLETED\"}";

        assertProblem(http.post(REPORTS, "{\"reports\": [" + report + "], \"next\": {\"workerId\": \"w1\", "
                + "\"taskTypes\": [\"shipping\"], \"waitMs\": 1000}}"), 400, ProblemType.INVALID_REQUEST, "next.waitMs");
        assertProblem(http.post(REPORTS, "{\"reports\": [" + report + "], \"next\": {\"workerId\": \"w1\", "
                + "\"taskTypes\": [\"shipping\"], \"maxTasks\": 0}}"), 400, ProblemType.INVALID_REQUEST, "next.maxTasks");
        assertProblem(http.post(REPORTS, "{\"reports\": [" + report + "], \"next\": {\"workerId\": \"w1\", "
                + "\"taskTypes\": [\"shipping\"], \"leaseMs\": 10}}"), 400, ProblemType.INVALID_REQUEST, "next.leaseMs");

        // nothing was committed: the lease is still there to report
        JsonNode first = http.post("/api/v1/leases/" + leaseId + "/complete", null).json();
        assertThat(first.get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void shouldAnswerTheReportsAndTheNextPollsProblemApart() {
        // given two leases
        JsonNode leases = pollNow("w1", "payment");

        // when the next poll names a worker id longer than allowed: the engine refuses the poll, not the reports
        JsonNode badWorker = http.post(REPORTS, """
                {"reports": [{"leaseId": "%s", "outcome": "COMPLETED"}],
                 "next": {"workerId": "%s", "taskTypes": ["shipping"]}}"""
                .formatted(leases.get(0).get("leaseId").asString(), "w".repeat(200))).json();

        // then the report is committed and the poll's problem names its field under next
        assertThat(badWorker.get("results").get(0).get("status").asInt()).isEqualTo(200);
        assertThat(badWorker.has("leases")).isFalse();
        assertThat(badWorker.get("leasesProblem").get("status").asInt()).isEqualTo(400);
        assertThat(badWorker.get("leasesProblem").get("field").asString()).isEqualTo("next.workerId");

        // when the Raft layer refuses the next poll's proposal
        gateway.failNextLease(new OverloadedException("too many in flight", RefusalReason.PROPOSAL_QUEUE_FULL,
                Duration.ofSeconds(3)));
        JsonNode overloaded = http.post(REPORTS, """
                {"reports": [{"leaseId": "%s", "outcome": "COMPLETED"}],
                 "next": {"workerId": "w1", "taskTypes": ["shipping"], "pollId": "p-9", "poller": "report-1"}}"""
                .formatted(leases.get(1).get("leaseId").asString())).json();

        // then the report still commits, and the poll is answered 429 with when to poll again
        assertThat(overloaded.get("results").get(0).get("status").asInt()).isEqualTo(200);
        assertThat(overloaded.get("leasesProblem").get("status").asInt()).isEqualTo(429);
        assertThat(overloaded.get("leasesProblem").get("retryAfterSeconds").asLong()).isEqualTo(3);
    }
}
