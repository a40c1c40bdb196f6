package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Membership changes and leadership transfers that Raft refuses, on three real coordinators: each is answered
 * with a problem that says why (a 503 with {@code Retry-After} for one that may succeed later, a 409 for one
 * that cannot as asked), never a 500, and the cluster keeps its members and keeps serving. Requests go to a
 * follower, which hands them to the leader over authenticated forwarding.
 */
class MembershipErrorsTest {

    private static InProcessCluster cluster;
    private static List<String> members;
    private static int leader;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
        members = List.of(cluster.raftAddress(0), cluster.raftAddress(1), cluster.raftAddress(2));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void membershipIsUnchanged() {
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.client(i).clusterStale().peers()).as("peers seen by node " + i)
                    .containsExactlyInAnyOrderElementsOf(members);
        }
    }

    private static URI follower() {
        return cluster.baseUri((leader + 1) % 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:1", "no-such-host.invalid:7101"})
    void shouldAnswer503WithRetryAfterWhenANewPeerCannotCatchUp(String peer) {
        // given a peer nothing listens on (a port that refuses, a name that does not resolve)
        // when it is added
        RawHttp.Response response = RawHttp.postJson(follower(), "/api/v1/cluster/peers", "{\"peer\": \"" + peer + "\"}");

        // then the change is refused as one that may succeed later, saying why in words and in Raft's
        JsonNode problem = assertProblem(response, 503, ProblemType.MEMBERSHIP_CHANGE_FAILED);
        assertThat(response.retryAfter()).isEqualTo("1");
        assertThat(problem.get("retryAfterSeconds").asLong()).isEqualTo(1);
        assertThat(problem.get("detail").asString())
                .contains("Could not add " + peer + ": it did not catch up with the leader's log")
                .contains("membership is unchanged")
                .contains("ECATCHUP", "Peer " + peer + " failed to catch up");
        // and the cluster still takes writes
        assertThat(RawHttp.postJson(follower(), "/api/v1/workflows",
                "{\"tasks\": [{\"id\": \"a\", \"type\": \"after-refusal\"}], \"input\": {}}").status()).isEqualTo(201);
    }

    @Test
    void shouldAnswer409WhenRemovingAPeerThatIsNotAMember() {
        RawHttp.Response response = RawHttp.delete(follower(), "/api/v1/cluster/peers/127.0.0.1:1");

        JsonNode problem = assertProblem(response, 409, ProblemType.MEMBERSHIP_CONFLICT);
        assertThat(problem.get("field").asString()).isEqualTo("peer");
        assertThat(problem.get("detail").asString()).startsWith("127.0.0.1:1 is not a member of the cluster")
                .contains(members.get(0), members.get(1), members.get(2));
        assertThat(response.retryAfter()).isNull();
    }

    @Test
    void shouldAnswer409WhenHandingLeadershipToAPeerThatIsNotAMember() {
        RawHttp.Response response = RawHttp.postJson(follower(), "/api/v1/cluster/leader", "{\"peer\": \"127.0.0.1:1\"}");

        JsonNode problem = assertProblem(response, 409, ProblemType.MEMBERSHIP_CONFLICT);
        assertThat(problem.get("field").asString()).isEqualTo("peer");
        assertThat(problem.get("detail").asString())
                .startsWith("127.0.0.1:1 is not a member of the cluster, and only a member can lead");
        assertThat(cluster.leader()).contains(leader);
    }

    @Test
    void shouldAnswer200WhenAddingAMemberAgain() {
        RawHttp.Response response = RawHttp.postJson(follower(), "/api/v1/cluster/peers",
                "{\"peer\": \"" + cluster.raftAddress(leader) + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("peers").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrderElementsOf(members);
    }

    @Test
    void shouldAnswer409WhenALoneNodeIsAskedToLeaveOrToHandOver() {
        // given a cluster of one (it needs a member, and has nobody to hand leadership to)
        try (InProcessCluster single = new InProcessCluster(1).startAll()) {
            single.awaitLeader(Duration.ofSeconds(10));
            String only = single.raftAddress(0);

            // when it is asked to remove itself, then to hand leadership to whichever follower
            RawHttp.Response removed = RawHttp.delete(single.baseUri(0), "/api/v1/cluster/peers/" + only);
            RawHttp.Response moved = RawHttp.postJson(single.baseUri(0), "/api/v1/cluster/leader", "{}");

            // then both are refused as impossible while it is alone, and it still leads
            assertThat(assertProblem(removed, 409, ProblemType.MEMBERSHIP_CONFLICT).get("detail").asString())
                    .startsWith(only + " is the only member");
            assertThat(assertProblem(moved, 409, ProblemType.MEMBERSHIP_CONFLICT).get("detail").asString())
                    .startsWith("There is no other member to hand leadership to");
            assertThat(single.client(0).cluster().peers()).containsExactly(only);
            assertThat(single.leader()).contains(0);
        }
    }

    private static JsonNode assertProblem(RawHttp.Response response, int status, ProblemType type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo(type.uri().toString());
        return response.json();
    }
}
