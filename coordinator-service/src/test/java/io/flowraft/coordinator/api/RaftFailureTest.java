package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.coordinator.api.error.ProblemAnswers;
import io.micrometer.core.instrument.MeterRegistry;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Failures of the Raft layer reach clients as 429/503/504 with {@code Retry-After}; anything else as a bare 500. */
class RaftFailureTest extends ApiTestSupport {

    private static final String INLINE = "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\"}]}";

    @Autowired
    MeterRegistry registry;

    @ParameterizedTest
    @EnumSource(value = RefusalReason.class, names = {"PROPOSAL_QUEUE_FULL", "RAFT_BUSY", "MEMBERSHIP_CHANGE_IN_PROGRESS"})
    void shouldSayWhichLimitAnOverloadHitInTheBodyAndTheCounter(RefusalReason reason) {
        // given the Raft layer refusing for one of its reasons
        double before = refused("429", reason);
        gateway.failNextSubmit(new OverloadedException("refused", reason, Duration.ofSeconds(1)));

        // when a client submits
        ApiHttp.Response response = http.post(WORKFLOWS, INLINE);

        // then the problem names the reason, and the refusal is counted under it
        JsonNode problem = assertProblem(response, 429, ProblemType.OVERLOADED, null);
        assertThat(problem.get("reason").asString()).isEqualTo(reason.code());
        assertThat(refused("429", reason)).isEqualTo(before + 1);
    }

    private double refused(String status, RefusalReason reason) {
        var counter = registry.find(ProblemAnswers.REFUSED).tag("status", status).tag("reason", reason.code()).counter();
        assertThat(counter).as("counted from the start, at 0").isNotNull();
        return counter.count();
    }

    @Test
    void shouldAnswerNoLeaderWith503RetryAfterAndLeaderHint() {
        gateway.failNextSubmit(new NoLeaderException("No leader is known to this node", "10.0.0.7:7101",
                Duration.ofMillis(200)));

        ApiHttp.Response response = http.post(WORKFLOWS, INLINE);

        JsonNode problem = assertProblem(response, 503, ProblemType.NOT_LEADER, null);
        assertThat(problem.get("reason").asString()).isEqualTo("no-leader");
        assertThat(response.header("Retry-After")).as("rounded up to a whole second").isEqualTo("1");
        assertThat(problem.get("retryAfterSeconds").asLong()).isEqualTo(1);
        assertThat(problem.get("leader").asString()).isEqualTo("10.0.0.7:7101");
        assertThat(http.get(WORKFLOWS).json().get("items").size()).as("nothing was committed").isZero();
    }

    @Test
    void shouldAnswerOverloadWith429() {
        gateway.failNextSubmit(new OverloadedException("Too many proposals in flight",
                RefusalReason.PROPOSAL_QUEUE_FULL, Duration.ofSeconds(3)));

        ApiHttp.Response response = http.post(WORKFLOWS, INLINE);

        assertProblem(response, 429, ProblemType.OVERLOADED, null);
        assertThat(response.header("Retry-After")).isEqualTo("3");
    }

    @Test
    void shouldAnswerUnknownOutcomeWith504AndLetTheClientRetryWithItsKey() {
        gateway.failNextSubmit(new OutcomeUnknownException("Leader stepped down", Duration.ofSeconds(1)));

        ApiHttp.Response unknown = http.post(WORKFLOWS, INLINE, "Idempotency-Key", "retry-me");
        ApiHttp.Response retried = http.post(WORKFLOWS, INLINE, "Idempotency-Key", "retry-me");

        assertProblem(unknown, 504, ProblemType.OUTCOME_UNKNOWN, null);
        assertThat(unknown.header("Retry-After")).isEqualTo("1");
        assertThat(retried.status()).isEqualTo(201);
    }

    @Test
    void shouldAcknowledgeACommittedSubmitEvenWhenItsReadBackFails() {
        // given the read-back after the commit fails (say, a leader change between commit and read)
        gateway.failNextRead(new NoLeaderException("ReadIndex failed: no leader", null, Duration.ofSeconds(2)));

        // when a workflow is submitted
        ApiHttp.Response response = http.post(WORKFLOWS, INLINE, "Idempotency-Key", "read-back-lost");

        // then it is acknowledged as created, never as "no leader" (which would invite a duplicate without a key)
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String id = response.json().get("id").asString();
        assertThat(response.header("Location")).endsWith("/api/v1/workflows/" + id);
        assertThat(http.get(WORKFLOWS + "/" + id).status()).isEqualTo(200);
    }

    @Test
    void shouldAnswerReadFailureOfALinearizableRead() {
        gateway.failNextRead(new NoLeaderException("ReadIndex failed: no leader", null, Duration.ofSeconds(2)));

        ApiHttp.Response response = http.get(WORKFLOWS);

        JsonNode problem = assertProblem(response, 503, ProblemType.NOT_LEADER, null);
        assertThat(problem.has("leader")).isFalse();
        assertThat(response.header("Retry-After")).isEqualTo("2");
    }

    @Test
    void shouldAnswerUnexpectedFailureWithoutInternals() {
        gateway.failNextSubmit(new IllegalStateException("secret: connection to 10.1.2.3 refused at Foo.java:42"));

        ApiHttp.Response response = http.post(WORKFLOWS, INLINE);

        JsonNode problem = assertProblem(response, 500, ProblemType.INTERNAL, null);
        assertThat(response.body()).doesNotContain("secret", "10.1.2.3", "Foo.java", "IllegalState");
        assertThat(problem.get("detail").asString()).isEqualTo("An unexpected error occurred; it has been logged");
    }

    @Test
    void shouldAnswerFailureOutsideSpringMvcAsProblem() {
        ApiHttp.Response response = http.get(ApiTestApplication.FILTER_FAILURE_PATH);

        assertProblem(response, 500, ProblemType.INTERNAL, null);
        assertThat(response.body()).doesNotContain("secret");
    }
}
