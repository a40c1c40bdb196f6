package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * A coordinator serving HTTPS with a separate management port ({@code management.server.port}): Spring Boot
 * gives the management server the main server's SSL settings, bundle included, unless
 * {@code management.server.ssl.*} says otherwise; {@code management.server.ssl.enabled=false} makes it plain
 * HTTP (for a scraper or probe inside the pod's network that cannot verify the certificate) while the REST API
 * stays HTTPS.
 */
class HttpsManagementPortTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A client that trusts the CA of {@code coordinator}'s certificate. */
    private static HttpClient trusting(InProcessCluster coordinator) {
        return HttpClient.newBuilder().sslContext(ClientCredentials.trustOnly(coordinator.tlsCaFile())).build();
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether {@code uri} answers 200 to {@code http}; false while it does not listen or the handshake fails. */
    private static boolean answers(HttpClient http, URI uri) {
        try {
            return get(http, uri).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void shouldServeTheManagementPortWithTheSameBundleByDefault() throws Exception {
        // given a coordinator whose API is HTTPS and whose management port is set, with no management.server.ssl
        int managementPort = FreePorts.next();
        try (InProcessCluster coordinator = new InProcessCluster(1, "--management.server.port=" + managementPort).withTls();
                HttpClient trusting = trusting(coordinator)) {
            coordinator.start(0);
            URI readiness = URI.create("https://127.0.0.1:" + managementPort + "/actuator/health/readiness");

            // when it is up, then its probes and metrics answer over HTTPS with the same certificate
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> answers(trusting, readiness));
            assertThat(get(trusting, URI.create("https://127.0.0.1:" + managementPort + "/actuator/prometheus")).statusCode())
                    .isEqualTo(200);
            // and the REST API is HTTPS too
            assertThat(get(trusting, URI.create(coordinator.baseUri(0) + "/api/v1/cluster?consistency=stale")).statusCode())
                    .isEqualTo(200);
            // and a client that does not trust the CA gets no answer from the management port either
            try (HttpClient untrusting = HttpClient.newHttpClient()) {
                assertThatThrownBy(() -> get(untrusting, readiness)).isInstanceOf(SSLException.class);
            }
        }
    }

    @Test
    void shouldServeTheManagementPortInClearTextWhenItsSslIsDisabled() throws Exception {
        // given a coordinator whose API is HTTPS and whose management port opts out of TLS
        int managementPort = FreePorts.next();
        try (InProcessCluster coordinator = new InProcessCluster(1, "--management.server.port=" + managementPort,
                "--management.server.ssl.enabled=false").withTls();
                HttpClient trusting = trusting(coordinator);
                HttpClient plain = HttpClient.newHttpClient()) {
            coordinator.start(0);
            URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");

            // when it is up, then its probes answer in clear text
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> answers(plain, readiness));
            // while the REST API still requires TLS
            assertThat(get(trusting, URI.create(coordinator.baseUri(0) + "/api/v1/cluster?consistency=stale")).statusCode())
                    .isEqualTo(200);
            assertThat(get(plain, URI.create("http://127.0.0.1:" + coordinator.baseUri(0).getPort()
                    + "/api/v1/cluster?consistency=stale")).statusCode()).isEqualTo(400);
        }
    }
}
