package io.flowraft.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker stays with the coordinator that leads (it answers {@code FlowRaft-Role: leader}), so its polls and
 * reports are not forwarded; it moves on after a follower's answer or a failure.
 */
class LeaderAffinityTest {

    private static InProcessCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        cluster.awaitLeader(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldSettleOnTheLeaderAndStayThere() {
        // given the coordinators listed with the leader last
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        List<URI> uris = new ArrayList<>(IntStream.range(0, 3).filter(i -> i != leader).mapToObj(cluster::baseUri).toList());
        uris.add(cluster.baseUri(leader));
        Coordinators coordinators = new Coordinators(uris, Duration.ofSeconds(5), ClientCredentials.none(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));

        // when the worker makes requests, each through next()
        List<URI> used = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FlowRaftClient client = coordinators.next();
            client.cluster();
            used.add(client.baseUri());
        }

        // then the followers were each asked once, and the leader ever after
        assertThat(used.subList(0, 2)).containsExactlyElementsOf(uris.subList(0, 2));
        assertThat(used.subList(2, 10)).containsOnly(cluster.baseUri(leader));
    }

    @Test
    void shouldMoveOnFromACoordinatorThatFailed() {
        // given a worker that has settled on the leader
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        List<URI> uris = List.of(cluster.baseUri(leader), cluster.baseUri((leader + 1) % 3));
        Coordinators coordinators = new Coordinators(uris, Duration.ofSeconds(5), ClientCredentials.none(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        FlowRaftClient first = coordinators.next();
        first.cluster();
        assertThat(coordinators.next()).isSameAs(first);

        // when a call to it fails
        coordinators.failed(first);

        // then the next call goes to the other coordinator, whose answer says it follows
        FlowRaftClient second = coordinators.next();
        assertThat(second.baseUri()).isEqualTo(uris.get(1));
        second.cluster();
        assertThat(second.answeredAsLeader()).isFalse();
    }

    @Test
    void shouldSayItsRoleOnEveryApiAnswerEvenAProblem() throws Exception {
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        int follower = (leader + 1) % 3;
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> fromLeader = http.send(HttpRequest.newBuilder(cluster.baseUri(leader)
                    .resolve("/api/v1/workflows/no-such-workflow")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> fromFollower = http.send(HttpRequest.newBuilder(cluster.baseUri(follower)
                    .resolve("/api/v1/cluster")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(fromLeader.statusCode()).isEqualTo(404);
            assertThat(fromLeader.headers().firstValue(FlowRaftHttp.ROLE)).hasValue(FlowRaftHttp.ROLE_LEADER);
            assertThat(fromFollower.headers().firstValue(FlowRaftHttp.ROLE)).hasValue(FlowRaftHttp.ROLE_FOLLOWER);
        }
    }
}
