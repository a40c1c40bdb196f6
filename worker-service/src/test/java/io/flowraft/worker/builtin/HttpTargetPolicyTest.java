package io.flowraft.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.flowraft.worker.config.WorkerProperties;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TerminalTaskException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The {@code http} handler refuses targets inside the worker's network unless they are allowed by name. */
class HttpTargetPolicyTest {

    private static HttpTaskHandler handler(List<String> allowedHosts) {
        WorkerProperties properties = new WorkerProperties(List.of(URI.create("http://localhost:8080")), "w",
                Duration.ofSeconds(1), Duration.ofSeconds(30), 4, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(1), Map.of(),
                new WorkerProperties.Http(allowedHosts, Duration.ofSeconds(5), 1024),
                new WorkerProperties.SecretSettings(null, Map.of()));
        return new HttpTaskHandler(properties);
    }

    private static final TaskContext CONTEXT = new TaskContext() {
        public String workflowId() { return "w"; }
        public String taskId() { return "t"; }
        public String type() { return "http"; }
        public int attempt() { return 1; }
        public String idempotencyKey() { return "w/t"; }
        public String leaseId() { return "w.t.1"; }
        public Instant leaseExpiresAt() { return Instant.now().plusSeconds(30); }
        public Instant heartbeat() { return leaseExpiresAt(); }
        public boolean isLeaseLost() { return false; }
    };

    @Test
    void shouldRefuseALoopbackTargetUnlessAllowedByName() throws Exception {
        // given a local server that counts its calls
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            HttpTaskHandler.Input input = new HttpTaskHandler.Input("GET", url, null, null, 2_000L);

            // when the handler may not call private targets, then it refuses for good and never connects
            assertThatThrownBy(() -> handler(List.of()).handle(input, CONTEXT))
                    .isInstanceOf(TerminalTaskException.class).hasMessageContaining("loopback, private or link-local");
            // a host list that does not name it refuses it too
            assertThatThrownBy(() -> handler(List.of("example.org")).handle(input, CONTEXT))
                    .isInstanceOf(TerminalTaskException.class).hasMessageContaining("not in flowraft.worker.http.allowed-hosts");
            assertThat(calls).hasValue(0);

            // when it is allowed by name, the call goes through
            assertThat(handler(List.of("127.0.0.1")).handle(input, CONTEXT).status()).isEqualTo(204);
            assertThat(calls).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/", "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/", "http://0.0.0.0/",
            "http://100.64.0.1/"})
    void shouldRefuseInternalAddresses(String url) {
        assertThatThrownBy(() -> handler(List.of()).handle(new HttpTaskHandler.Input(null, url, null, null, 100L), CONTEXT))
                .isInstanceOf(TerminalTaskException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/x", "file:///etc/passwd", "http:///nohost"})
    void shouldRefuseOtherSchemesAndHostlessUrls(String url) {
        assertThatThrownBy(() -> handler(List.of()).handle(new HttpTaskHandler.Input(null, url, null, null, 100L), CONTEXT))
                .isInstanceOf(TerminalTaskException.class);
    }

    @Test
    void shouldTreatPublicAddressesAsExternal() throws Exception {
        assertThat(HttpTargetPolicy.isInternal(java.net.InetAddress.getByName("93.184.216.34"))).isFalse();
        assertThat(HttpTargetPolicy.isInternal(java.net.InetAddress.getByName("2606:2800:220:1::1"))).isFalse();
        assertThatCode(() -> new HttpTargetPolicy(List.of()).check(URI.create("http://93.184.216.34/"))).doesNotThrowAnyException();
    }
}
