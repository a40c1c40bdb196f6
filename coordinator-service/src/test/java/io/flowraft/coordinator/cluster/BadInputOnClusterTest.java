package io.flowraft.coordinator.cluster;

import io.flowraft.coordinator.testing.InProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ProblemType;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bad-input catalogue over HTTP against three real coordinators: each bad request gets its status and
 * problem type, and nothing already committed changes (the state digest is the same before and after).
 * Requests go to a follower, so rejections made by the leader's engine also cross the forwarding path.
 */
class BadInputOnClusterTest {

    private static InProcessCluster cluster;
    private static URI follower;
    private static URI leaderUri;
    private static int leader;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
        leaderUri = cluster.baseUri(leader);
        follower = cluster.baseUri((leader + 1) % 3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static void assertProblem(RawHttp.Response response, int status, ProblemType type, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo(type.uri().toString());
        if (field != null) {
            assertThat(response.json().get("field").asString()).isEqualTo(field);
        }
    }

    /**
     * Read on the leader, which has applied every entry it acknowledged, once the background export has caught up
     * (its acknowledgements are committed changes too).
     */
    private static String digest() {
        cluster.awaitExported(Duration.ofSeconds(10));
        return cluster.client(leader).cluster().stateDigest();
    }

    private static RawHttp.Response submit(String tasksJson) {
        return RawHttp.postJson(follower, "/api/v1/workflows", "{\"tasks\": " + tasksJson + ", \"input\": {}}");
    }

    @Test
    void shouldRejectMalformedRequestsWithoutTouchingCommittedState() {
        // given some committed state
        assertThat(RawHttp.postJson(follower, "/api/v1/workflows",
                "{\"tasks\": [{\"id\": \"a\", \"type\": \"work\"}], \"input\": {}}").status()).isEqualTo(201);
        String before = digest();
        // when / then
        assertProblem(RawHttp.postJson(follower, "/api/v1/workflows", "{\"tasks\": [}"), 400, ProblemType.MALFORMED_JSON, null);
        assertThat(RawHttp.post(follower, "/api/v1/workflows", "text/plain", "hello").status()).isEqualTo(415);
        assertProblem(RawHttp.postJson(follower, "/api/v1/workflows", "{\"input\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}"),
                413, ProblemType.PAYLOAD_TOO_LARGE, null);
        assertProblem(RawHttp.postJson(follower, "/api/v1/workflows",
                "{\"input\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}"), 400, ProblemType.MALFORMED_JSON, null);
        assertProblem(RawHttp.postJson(follower, "/api/v1/tasks/poll",
                "{\"workerId\": \"w\", \"taskTypes\": [\"work\"], \"maxTasks\": 100000}"), 400, ProblemType.INVALID_REQUEST,
                "maxTasks");
        assertThat(digest()).isEqualTo(before);
    }

    @Test
    void shouldRejectInvalidDagsWithTheFieldAndTheReason() {
        String before = digest();
        assertProblem(submit("[{\"id\": \"a\", \"type\": \"work\", \"dependsOn\": [\"b\"]},"
                + " {\"id\": \"b\", \"type\": \"work\", \"dependsOn\": [\"a\"]}]"), 422, ProblemType.INVALID_DAG, "tasks");
        assertThat(submit("[{\"id\": \"a\", \"type\": \"work\", \"dependsOn\": [\"b\"]},"
                + " {\"id\": \"b\", \"type\": \"work\", \"dependsOn\": [\"a\"]}]").json().get("detail").asString())
                .containsAnyOf("a -> b -> a", "b -> a -> b");
        assertProblem(submit("[{\"id\": \"a\", \"type\": \"work\", \"dependsOn\": [\"ghost\"]}]"), 422,
                ProblemType.INVALID_DAG, "tasks[0].dependsOn[0]");
        assertProblem(submit("[{\"id\": \"a\", \"type\": \"work\", \"dependsOn\": [\"a\"]}]"), 422,
                ProblemType.INVALID_DAG, "tasks[0].dependsOn[0]");
        assertProblem(submit("[{\"id\": \"a\", \"type\": \"work\"}, {\"id\": \"a\", \"type\": \"work\"}]"), 422,
                ProblemType.INVALID_DAG, "tasks[1].id");
        assertProblem(submit("[{\"id\": \"a\", \"type\": \"work\", \"when\": \"input.amount >\"}]"), 422,
                ProblemType.INVALID_CONDITION, "tasks[0].when");
        assertProblem(RawHttp.postJson(follower, "/api/v1/workflows", "{\"definition\": \"nope\", \"input\": {}}"), 404,
                ProblemType.DEFINITION_NOT_FOUND, "definition");
        assertThat(digest()).isEqualTo(before);
    }

    @Test
    void shouldAnswerIdempotentSubmitsAndRefuseAReusedKey() {
        String body = "{\"tasks\": [{\"id\": \"a\", \"type\": \"idem\"}], \"input\": {\"n\": 1}, \"idempotencyKey\": \"k-1\"}";
        RawHttp.Response first = RawHttp.postJson(follower, "/api/v1/workflows", body);
        RawHttp.Response again = RawHttp.postJson(leaderUri, "/api/v1/workflows", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        String before = digest();
        assertProblem(RawHttp.postJson(follower, "/api/v1/workflows", body.replace("\"n\": 1", "\"n\": 2")), 422,
                ProblemType.IDEMPOTENCY_CONFLICT, "idempotencyKey");
        assertThat(digest()).isEqualTo(before);
    }

    @Test
    void shouldFenceStaleAndForeignLeases() {
        // given a task leased by worker A whose lease then expired and went to worker B
        RawHttp.Response submitted = RawHttp.postJson(follower, "/api/v1/workflows",
                "{\"tasks\": [{\"id\": \"a\", \"type\": \"fenced\", \"retry\": {\"initialBackoffMs\": 0, \"maxBackoffMs\": 0}}],"
                        + " \"input\": {}}");
        assertThat(submitted.status()).isEqualTo(201);
        String leaseA = RawHttp.postJson(follower, "/api/v1/tasks/poll",
                "{\"workerId\": \"A\", \"taskTypes\": [\"fenced\"], \"maxTasks\": 1, \"leaseMs\": 1000}").json()
                .get(0).get("leaseId").asString();
        String leaseB = await().atMost(Duration.ofSeconds(15)).until(() -> RawHttp.postJson(follower, "/api/v1/tasks/poll",
                "{\"workerId\": \"B\", \"taskTypes\": [\"fenced\"], \"maxTasks\": 1, \"waitMs\": 1000}").json(),
                leases -> leases.size() == 1).get(0).get("leaseId").asString();
        String before = digest();
        // when A reports late, it is refused: the task is B's now
        assertProblem(RawHttp.postJson(follower, "/api/v1/leases/" + leaseA + "/complete", "{\"output\": {}}"), 409,
                ProblemType.STALE_LEASE, "leaseId");
        // and a lease id that was never granted is unknown, a malformed one invalid
        assertProblem(RawHttp.postJson(follower, "/api/v1/leases/" + leaseB.replaceAll("\\d+$", "999999") + "/complete",
                "{\"output\": {}}"), 404, ProblemType.LEASE_NOT_FOUND, null);
        assertProblem(RawHttp.postJson(follower, "/api/v1/leases/garbage/complete", "{\"output\": {}}"), 400,
                ProblemType.INVALID_REQUEST, null);
        assertThat(digest()).isEqualTo(before);
        // then B's report is accepted, and its repeat answered as a duplicate
        assertThat(RawHttp.postJson(leaderUri, "/api/v1/leases/" + leaseB + "/complete", "{\"output\": {}}").status())
                .isEqualTo(200);
        assertThat(RawHttp.postJson(follower, "/api/v1/leases/" + leaseB + "/complete", "{\"output\": {}}").json()
                .get("duplicate").asBoolean()).isTrue();
    }
}
