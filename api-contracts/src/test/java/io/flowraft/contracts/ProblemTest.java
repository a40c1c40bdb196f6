package io.flowraft.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.json.FlowRaftJson;
import java.net.URI;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemTest {

    private static final JsonMapper JSON = FlowRaftJson.mapper();

    @Test
    void shouldTakeTypeTitleAndStatusFromTheProblemType() {
        // given a problem type
        // when a problem is built from it
        Problem problem = Problem.of(ProblemType.STALE_LEASE, "lease 4711 was superseded by 4790");

        // then the standard members come from the type
        assertThat(problem.type()).isEqualTo(ProblemType.STALE_LEASE.uri());
        assertThat(problem.title()).isEqualTo(ProblemType.STALE_LEASE.title());
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.detail()).isEqualTo("lease 4711 was superseded by 4790");
        assertThat(problem.knownType()).contains(ProblemType.STALE_LEASE);
    }

    @Test
    void shouldWriteExtensionMembersAtTheTopLevel() {
        // given a not-leader problem with every extension member
        Problem problem = Problem.of(ProblemType.NOT_LEADER, "election in progress")
                .withField("definition")
                .withLeader("n2:8100")
                .withRetryAfterSeconds(2L);

        // when it is written
        JsonNode written = JSON.valueToTree(problem);

        // then RFC 9457 members and extensions sit side by side, the type as a URI string
        assertThat(written.get("type").stringValue()).isEqualTo("https://flowraft.io/problems/not-leader");
        assertThat(written.get("status").intValue()).isEqualTo(503);
        assertThat(written.get("field").stringValue()).isEqualTo("definition");
        assertThat(written.get("leader").stringValue()).isEqualTo("n2:8100");
        assertThat(written.get("retryAfterSeconds").longValue()).isEqualTo(2L);
        assertThat(written.has("instance")).isFalse();
    }

    @Test
    void shouldReadAProblemBodyWithForeignMembers() {
        // given a problem body as a web framework may add to it
        String body = """
                {"type":"https://flowraft.io/problems/invalid-dag","title":"Invalid workflow DAG","status":422,
                 "detail":"cycle a -> b -> a","instance":"/api/v1/workflows","field":"tasks[1].dependsOn",
                 "timestamp":"2025-01-31T12:00:00Z","properties":{"x":1}}""";

        // when it is read
        Problem problem = JSON.readValue(body, Problem.class);

        // then the known members are read and the type recognised
        assertThat(problem.knownType()).contains(ProblemType.INVALID_DAG);
        assertThat(problem.instance()).isEqualTo(URI.create("/api/v1/workflows"));
        assertThat(problem.field()).isEqualTo("tasks[1].dependsOn");
    }

    @Test
    void shouldReadTheRefusalReasonAndTolerateProblemsWithoutOne() {
        // given a refusal with a reason, one with a reason from a newer server, and a body from before reasons
        Problem full = JSON.readValue("""
                {"type":"https://flowraft.io/problems/overloaded","status":429,"retryAfterSeconds":1,
                 "reason":"proposal-queue-full"}""", Problem.class);
        Problem newer = JSON.readValue("{\"status\":429,\"reason\":\"quota-exceeded\"}", Problem.class);
        Problem older = JSON.readValue("{\"status\":429}", Problem.class);

        // then the known reason is recognised, the others are read without failing
        assertThat(full.reason()).isEqualTo("proposal-queue-full");
        assertThat(full.knownReason()).contains(RefusalReason.PROPOSAL_QUEUE_FULL);
        assertThat(newer.reason()).isEqualTo("quota-exceeded");
        assertThat(newer.knownReason()).isEmpty();
        assertThat(older.reason()).isNull();
        assertThat(older.knownReason()).isEmpty();
        // and a reason is written as a top-level member
        assertThat(JSON.valueToTree(Problem.of(ProblemType.STATE_BUDGET, "full").withReason("state-budget"))
                .get("reason").stringValue()).isEqualTo("state-budget");
    }

    @Test
    void shouldGiveEveryRefusalTypeAReasonAnsweredWithItsStatus() {
        for (ProblemType type : ProblemType.values()) {
            boolean refusal = type.status() == 429 || type.status() == 503;
            assertThat(RefusalReason.defaultFor(type).isPresent()).as(type.slug()).isEqualTo(refusal);
            RefusalReason.defaultFor(type).ifPresent(r -> assertThat(r.status()).as(type.slug()).isEqualTo(type.status()));
        }
    }

    @Test
    void shouldNotRecogniseForeignOrBlankTypes() {
        // given a type from a newer server and a problem without a type (about:blank)
        Problem newer = new Problem(URI.create(ProblemType.BASE + "quota-exceeded"), null, 429, null, null, null,
                null, null);
        Problem blank = new Problem(null, "Not Found", 404, null, null, null, null, null);

        // when their types are looked up
        // then neither is a known type, and nothing throws
        assertThat(newer.knownType()).isEmpty();
        assertThat(blank.knownType()).isEmpty();
    }
}
