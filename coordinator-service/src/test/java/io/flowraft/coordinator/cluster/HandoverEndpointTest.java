package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.coordinator.security.ApiKeys;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /actuator/handover}, the coordinator pods' {@code preStop}: a leader hands leadership over and answers
 * once another node leads; a follower or a lone node answers at once; open on a separate management port, admin
 * only when the actuator shares the API port.
 */
class HandoverEndpointTest {

    private InProcessCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode handover(URI management) {
        RawHttp.Response response = RawHttp.get(management, "/actuator/handover");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void shouldHandLeadershipOverAndAnswerOnceAnotherNodeLeads() {
        // given a cluster of three
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        String leaderAddress = cluster.raftAddress(leader);

        // when its leader is asked to hand over, on its management port, without credentials
        JsonNode answer = handover(cluster.managementUri(leader));

        // then it did, and names the new leader, which every node agrees on
        assertThat(answer.get("wasLeader").asBoolean()).isTrue();
        assertThat(answer.get("handedOver").asBoolean()).as(answer.toString()).isTrue();
        String newLeader = answer.get("leader").asString();
        assertThat(newLeader).isNotEqualTo(leaderAddress).isIn(cluster.raftAddress(0), cluster.raftAddress(1),
                cluster.raftAddress(2));
        assertThat(cluster.raftAddress(cluster.awaitLeader(Duration.ofSeconds(5)))).isEqualTo(newLeader);

        // when a follower (the old leader now) is asked
        JsonNode follower = handover(cluster.managementUri(leader));

        // then it answers at once that it did not lead, naming the leader it knows
        assertThat(follower.get("wasLeader").asBoolean()).isFalse();
        assertThat(follower.get("handedOver").asBoolean()).isFalse();
        assertThat(follower.get("leader").asString()).isEqualTo(newLeader);

        // and a graceful stop of the old leader (SIGTERM after the preStop) has nothing left to hand over
        cluster.stop(leader);
        assertThat(cluster.raftAddress(cluster.awaitLeader(Duration.ofSeconds(5)))).isEqualTo(newLeader);
    }

    @Test
    void shouldAnswerAtOnceOnASingleNode() {
        // given a single node, which leads
        cluster = new InProcessCluster(1).startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));

        // when asked to hand over
        JsonNode answer = handover(cluster.managementUri(0));

        // then there is nobody to hand over to: it still leads
        assertThat(answer.get("wasLeader").asBoolean()).isTrue();
        assertThat(answer.get("handedOver").asBoolean()).isFalse();
        assertThat(answer.get("leader").asString()).isEqualTo(cluster.raftAddress(0));
    }

    @Test
    void shouldBeForAdminsOnlyWhenTheActuatorSharesTheApiPort() {
        // given a secure single node whose actuator is on its API port
        String adminKey = "frk_" + UUID.randomUUID().toString().replace("-", "");
        String readerKey = "frk_" + UUID.randomUUID().toString().replace("-", "");
        cluster = new InProcessCluster(1, "--flowraft.security.mode=secure", "--management.server.port=${server.port}",
                "--flowraft.security.api-keys[0].principal=ops", "--flowraft.security.api-keys[0].roles=admin",
                "--flowraft.security.api-keys[0].sha256=" + ApiKeys.sha256Hex(adminKey),
                "--flowraft.security.api-keys[1].principal=auditor", "--flowraft.security.api-keys[1].roles=reader",
                "--flowraft.security.api-keys[1].sha256=" + ApiKeys.sha256Hex(readerKey))
                .useApiKey(adminKey).startAll();
        URI api = cluster.baseUri(0);

        // then without credentials it is refused, a reader is forbidden, an admin is answered
        assertThat(RawHttp.get(api, "/actuator/handover").status()).isEqualTo(401);
        assertThat(asCaller(api, readerKey).status()).isEqualTo(403);
        RawHttp.Response admin = asCaller(api, adminKey);
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        assertThat(admin.json().get("wasLeader").asBoolean()).isTrue();
        // while a reader still reads the other actuator endpoints there, as before
        assertThat(RawHttp.send(HttpRequest.newBuilder(api.resolve("/actuator/health"))
                .header("Authorization", "Bearer " + readerKey).GET()).status()).isEqualTo(200);
    }

    private static RawHttp.Response asCaller(URI api, String key) {
        return RawHttp.send(HttpRequest.newBuilder(api.resolve("/actuator/handover"))
                .header("Authorization", "Bearer " + key).GET());
    }
}
