package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three coordinators serving their REST API over HTTPS through a Spring Boot PEM SSL bundle (no code of ours on
 * the server side), with a CA and server certificate made for this test: a client that trusts the CA works
 * against any node, followers included (they forward writes to the leader over the Raft port, which HTTPS does
 * not touch); a client that trusts only the JDK's default authorities, or speaks plain HTTP, gets nothing.
 */
class HttpsClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static InProcessCluster cluster;
    private static int leader;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).withTls();
        cluster.startAll(); // @AfterAll stops what started if this fails
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static FlowRaftClient trustingClient(int node) {
        return new FlowRaftClient(cluster.baseUri(node), TIMEOUT, ClientCredentials.none().trusting(cluster.tlsCaFile()));
    }

    @Test
    void shouldServeEveryNodeOverHttpsToAClientTrustingTheCa() {
        int follower = (leader + 1) % 3;
        int otherFollower = (leader + 2) % 3;
        assertThat(cluster.baseUri(follower).getScheme()).isEqualTo("https");

        // given a client of a follower that trusts the test CA
        FlowRaftClient client = trustingClient(follower);

        // when it registers a definition and submits a workflow (both forwarded to the leader)
        TaskSpec charge = new TaskSpec("charge", "payment", List.of(), null, null, null, null, null, null);
        var definition = client.registerDefinition(new RegisterDefinitionRequest("tls-orders", null, List.of(charge)));
        WorkflowView submitted = client.submitWorkflow(new SubmitWorkflowRequest("tls-orders",
                null, FlowRaftJson.mapper().valueToTree(Map.of("amount", 12)), "tls-order-1"));

        // then the other follower and the leader serve it over HTTPS too, linearizably
        assertThat(definition.version()).isEqualTo(1);
        assertThat(submitted.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(trustingClient(otherFollower).getWorkflow(submitted.id()).definition())
                .isEqualTo(submitted.definition());
        assertThat(trustingClient(leader).getWorkflow(submitted.id()).tasks()).hasSize(1);
        ClusterView view = trustingClient(follower).cluster();
        assertThat(view.leader()).isEqualTo(cluster.raftAddress(leader));
    }

    @Test
    void shouldRefuseAClientThatTrustsOnlyTheJdkDefaults() {
        // given a client with no CA file: the JDK's default trust store, which does not know the test CA
        FlowRaftClient client = new FlowRaftClient(cluster.baseUri(leader), TIMEOUT);

        // when it calls, the TLS handshake fails: a transport failure, not an answer
        assertThatThrownBy(client::clusterStale)
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseInstanceOf(CertPathBuilderException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
        assertThat(client.isReady()).isFalse();
    }

    @Test
    void shouldNotServePlainHttpOnTheHttpsPort() throws Exception {
        // given the HTTPS port, addressed as plain HTTP
        URI plain = URI.create("http://127.0.0.1:" + cluster.baseUri(leader).getPort() + "/api/v1/cluster?consistency=stale");

        // when a client sends a request in clear text
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(HttpRequest.newBuilder(plain).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        // then the server answers 400 and serves nothing of the API
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("stateDigest");
    }
}
