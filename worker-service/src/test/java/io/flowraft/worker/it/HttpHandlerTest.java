package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/** The built-in {@code http} handler, run by a real worker against a local HTTP server. */
@ExtendWith(SharedCluster.class)
class HttpHandlerTest {

    private HttpServer server;
    private ExecutorService serverThreads;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> idempotencyKeys = new ConcurrentHashMap<>();
    private final CountDownLatch hangUp = new CountDownLatch(1);
    private CoordinatorCluster cluster;
    private FlowRaftClient client;
    private ConfigurableApplicationContext worker;

    @BeforeEach
    void start(CoordinatorCluster cluster) throws IOException {
        this.cluster = cluster;
        this.client = cluster.client(1);
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", this::answer);
        server.start();
        worker = startWorker(cluster.uris(), "http-worker", Map.of("http.allowed-hosts", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        worker.close();
        hangUp.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** /ok answers JSON; /flaky 500 once then 200; /missing 404; /slow hangs the first time. */
    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null) {
            idempotencyKeys.put(path, key);
        }
        if (path.equals("/slow") && call == 1) {
            try {
                hangUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status = switch (path) {
            case "/missing" -> 404;
            case "/flaky" -> call == 1 ? 500 : 200;
            default -> 200;
        };
        byte[] body = ("{\"path\": \"" + path + "\", \"call\": " + call + ", \"method\": \"" + exchange.getRequestMethod() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private WorkflowView run(String path, WorkflowStatus expected) {
        String input = "{\"url\": \"" + url(path) + "\", \"method\": \"POST\", \"body\": {\"x\": 1}, \"timeoutMs\": 500}";
        WorkflowView submitted = submit(client, task("call", "http", input, new RetryPolicy(3, 0L, 1.0, 0L), null));
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.getWorkflow(submitted.id()), v -> v.status() == expected);
    }

    @Test
    void shouldOutputTheAnswerOfASuccessfulCall() {
        WorkflowView done = run("/ok", WorkflowStatus.COMPLETED);

        TaskView call = task(done, "call");
        assertThat(call.attempt()).isEqualTo(1);
        assertThat(call.output().get("status").asInt()).isEqualTo(200);
        assertThat(call.output().get("headers").get("content-type").asString()).isEqualTo("application/json");
        assertThat(call.output().get("body").get("method").asString()).isEqualTo("POST");
        assertThat(idempotencyKeys.get("/ok")).isEqualTo(done.id() + "/call");
    }

    @Test
    void shouldRetryAServerError() {
        WorkflowView done = run("/flaky", WorkflowStatus.COMPLETED);

        TaskView call = task(done, "call");
        assertThat(call.attempt()).isEqualTo(2);
        assertThat(TestWorkers.retriedErrors(client, done.id())).singleElement().asString().contains("HTTP 500");
        assertThat(call.output().get("body").get("call").asInt()).isEqualTo(2);
    }

    @Test
    void shouldFailAClientErrorForGood() {
        WorkflowView failed = run("/missing", WorkflowStatus.FAILED);

        TaskView call = task(failed, "call");
        assertThat(call.attempt()).isEqualTo(1);
        assertThat(call.error()).contains("HTTP 404");
        assertThat(calls.get("/missing")).hasValue(1);
    }

    @Test
    void shouldRetryATimeout() {
        WorkflowView done = run("/slow", WorkflowStatus.COMPLETED);

        TaskView call = task(done, "call");
        assertThat(call.attempt()).isEqualTo(2);
        assertThat(TestWorkers.retriedErrors(client, done.id())).singleElement().asString().contains("within 500 ms");
        assertThat(call.output().get("body").get("call").asInt()).isEqualTo(2);
    }
}
