package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.replication.InvalidPeerException;
import io.flowraft.coordinator.replication.MembershipChangeFailedException;
import io.flowraft.coordinator.replication.MembershipConflictException;
import io.flowraft.coordinator.replication.SnapshotFailedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ClusterApiTest extends ApiTestSupport {

    private static final String CLUSTER = "/api/v1/cluster";

    @Test
    void shouldShowTheClusterView() {
        registerOrders();

        JsonNode view = http.get(CLUSTER).json();

        assertThat(view.get("nodeId").asString()).isEqualTo(DirectEngineGateway.NODE);
        assertThat(view.get("leader").asString()).isEqualTo(DirectEngineGateway.NODE);
        assertThat(view.get("term").asLong()).isEqualTo(1);
        assertThat(view.get("peers").size()).isEqualTo(3);
        assertThat(view.get("commitIndex").asLong()).isEqualTo(1);
        assertThat(view.get("appliedIndex").asLong()).isEqualTo(1);
        assertThat(view.get("stateDigest").asString()).hasSize(64);
    }

    @Test
    void shouldAddAndRemovePeers() {
        ApiHttp.Response added = http.post(CLUSTER + "/peers", "{\"peer\": \"coordinator-3.flowraft:7101\"}");
        ApiHttp.Response removed = http.delete(CLUSTER + "/peers/127.0.0.1:8103");

        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("peers").toString()).contains("coordinator-3.flowraft:7101");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("peers").toString()).doesNotContain("127.0.0.1:8103");
    }

    @Test
    void shouldAcceptLeadershipTransfer() {
        assertThat(http.post(CLUSTER + "/leader", "{\"peer\": \"127.0.0.1:8102\"}").status()).isEqualTo(202);
        assertThat(http.post(CLUSTER + "/leader", null).status()).isEqualTo(202);
    }

    @Test
    void shouldAnswerTheSnapshotTaken() {
        // given one committed command
        registerOrders();

        // when a snapshot is asked for
        ApiHttp.Response response = http.post(CLUSTER + "/snapshot", null);

        // then it is described by its index, size and duration
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode snapshot = response.json();
        assertThat(snapshot.get("index").asLong()).isEqualTo(1);
        assertThat(snapshot.get("bytes").asLong()).isPositive();
        assertThat(snapshot.get("durationMs").asLong()).isEqualTo(3);
        assertThat(snapshot.propertyNames()).containsExactly("index", "bytes", "durationMs");
    }

    @Test
    void shouldAnswerAFailedSnapshotWith503AndRetryAfter() {
        gateway.failNextSnapshot(new SnapshotFailedException("Is saving another snapshot", Duration.ofSeconds(2)));

        ApiHttp.Response response = http.post(CLUSTER + "/snapshot", null);

        JsonNode problem = assertProblem(response, 503, ProblemType.SNAPSHOT_FAILED, null);
        assertThat(response.header("Retry-After")).isEqualTo("2");
        assertThat(problem.get("reason").asString()).isEqualTo("snapshot-failed");
        assertThat(problem.get("detail").asString()).isEqualTo("Is saving another snapshot");
    }

    @Test
    void shouldRejectMalformedPeers() {
        assertProblem(http.post(CLUSTER + "/peers", "{\"peer\": \"0.0.0.0\"}"), 400, ProblemType.INVALID_REQUEST, "peer");
        assertProblem(http.post(CLUSTER + "/peers", "{}"), 400, ProblemType.INVALID_REQUEST, "peer");
        assertProblem(http.post(CLUSTER + "/peers", "{\"peer\": \"host:99999\"}"), 400, ProblemType.INVALID_REQUEST, "peer");
        assertProblem(http.delete(CLUSTER + "/peers/evil%01host:1"), 400, ProblemType.INVALID_REQUEST, "peer");
        assertProblem(http.post(CLUSTER + "/leader", "{\"peer\": \"no port\"}"), 400, ProblemType.INVALID_REQUEST, "peer");
    }

    @Test
    void shouldAnswerAMembershipChangeNotMadeWith503AndRetryAfter() {
        gateway.failNextMembershipChange(new MembershipChangeFailedException("Could not add 127.0.0.1:8104: it did"
                + " not catch up", Duration.ofSeconds(2)));

        ApiHttp.Response response = http.post(CLUSTER + "/peers", "{\"peer\": \"127.0.0.1:8104\"}");

        JsonNode problem = assertProblem(response, 503, ProblemType.MEMBERSHIP_CHANGE_FAILED, null);
        assertThat(response.header("Retry-After")).isEqualTo("2");
        assertThat(problem.get("reason").asString()).isEqualTo("membership-change-failed");
        assertThat(problem.get("detail").asString()).isEqualTo("Could not add 127.0.0.1:8104: it did not catch up");
        assertThat(http.get(CLUSTER).json().get("peers").toString()).doesNotContain("127.0.0.1:8104");
    }

    @Test
    void shouldAnswerAChangeThatDoesNotFitTheMembershipWith409() {
        gateway.failNextMembershipChange(new MembershipConflictException("127.0.0.1:8109 is not a member",
                "127.0.0.1:8109"));
        gateway.failNextMembershipChange(new MembershipConflictException("There is no other member", null));

        ApiHttp.Response removed = http.delete(CLUSTER + "/peers/127.0.0.1:8109");
        ApiHttp.Response moved = http.post(CLUSTER + "/leader", null);

        assertThat(assertProblem(removed, 409, ProblemType.MEMBERSHIP_CONFLICT, "peer").get("detail").asString())
                .isEqualTo("127.0.0.1:8109 is not a member");
        assertThat(assertProblem(moved, 409, ProblemType.MEMBERSHIP_CONFLICT, null).has("field")).isFalse();
        assertThat(removed.header("Retry-After")).isNull();
    }

    @Test
    void shouldAnswerAPeerRaftCannotParseWith400() {
        gateway.failNextMembershipChange(new InvalidPeerException("Peer must be host:port, was 'h:1'"));

        assertProblem(http.post(CLUSTER + "/peers", "{\"peer\": \"h:1\"}"), 400, ProblemType.INVALID_REQUEST, "peer");
    }

    @Test
    void shouldLeaveActuatorWorkingWithTheApiJsonMapper() {
        ApiHttp.Response health = http.get("/actuator/health/liveness");

        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }
}
