package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.entity.EnumOutter.ErrorType;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /actuator/health/liveness} of real coordinators: DOWN (so Kubernetes restarts the pod) when this
 * node can no longer do its job by itself, whatever the rest of the cluster does.
 */
class LivenessHttpTest {

    private static final String LIVENESS = "/actuator/health/liveness";
    private static final String WORKFLOW = "{\"tasks\": [{\"id\": \"a\", \"type\": \"live\"}], \"input\": {}}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private InProcessCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private RaftRuntime runtime(int i) {
        return cluster.context(i).getBean(RaftRuntime.class);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> liveness(int i) {
        return send(HttpRequest.newBuilder(cluster.baseUri(i).resolve(LIVENESS)).GET());
    }

    /** The full health on the management port: the probes on the API port carry no details. */
    private HttpResponse<String> healthDetails(int i) {
        return send(HttpRequest.newBuilder(cluster.managementUri(i).resolve("/actuator/health")).GET());
    }

    private HttpResponse<String> submit(int i) {
        return send(HttpRequest.newBuilder(cluster.baseUri(i).resolve("/api/v1/workflows"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(WORKFLOW)));
    }

    @Test
    void shouldReportNotLiveWhileTheRaftNodeIsInError() {
        // given a healthy cluster
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int broken = (leader + 1) % 3;
        assertThat(liveness(broken).statusCode()).isEqualTo(200);

        // when a follower's Raft node meets a fatal error. This is the path SOFAJRaft 1.4.1 takes when an append
        // to its RocksDB log fails (LogManagerImpl.reportError hands FSMCaller.onError an ERROR_TYPE_LOG/EIO
        // exception; NodeImpl.onError does that first, then FSMCallerImpl.setError tells the state machine and
        // the node, which steps down into STATE_ERROR for good). A failing apply or snapshot load ends the same way.
        NodeImpl node = (NodeImpl) runtime(broken).node().node();
        node.onError(new RaftException(ErrorType.ERROR_TYPE_LOG, RaftError.EIO, "Fail to append log entries"));

        // then its liveness goes DOWN, saying why
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> response = liveness(broken);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(healthDetails(broken).body()).contains("\"reason\"").contains("ERROR");
        });
        // and the other coordinators stay live and keep serving
        int other = 3 - leader - broken;
        assertThat(liveness(leader).statusCode()).isEqualTo(200);
        assertThat(liveness(other).statusCode()).isEqualTo(200);
        assertThat(submit(other).statusCode()).isEqualTo(201);
    }

    @Test
    void shouldReportNotLiveOnceTheProposerThreadMetAnError() {
        // given a healthy leader
        cluster = new InProcessCluster(1).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        assertThat(submit(leader).statusCode()).isEqualTo(201);

        // when its proposer thread meets an Error while proposing a batch
        runtime(leader).proposer().failNextBatch(new StackOverflowError("injected by the test"));
        HttpResponse<String> failed = submit(leader);

        // then that request is answered: its outcome is unknown
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(504);
        // and liveness is DOWN, saying why
        HttpResponse<String> response = liveness(leader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(healthDetails(leader).body()).contains("\"reason\"").contains("proposer").contains("StackOverflowError");
        // while the node goes on serving until it is restarted
        assertThat(submit(leader).statusCode()).isEqualTo(201);
    }
}
