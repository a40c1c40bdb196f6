package io.flowraft.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TerminalTaskException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} handler's protections against a hostile target or input, each against a real local HTTP
 * server: connections pinned to the checked addresses, the response cap, the whole-call deadline, and errors
 * that quote neither credentials nor query strings nor raw control characters.
 */
class HttpHandlerProtectionsTest {

    private static final String SECRET = "API-SECRET-VALUE-0123456789";

    private HttpServer server;
    private ExecutorService serverThreads;
    private final ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch hangUp = new CountDownLatch(1);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> hostHeaders = new ConcurrentHashMap<>();
    private static final long ENDLESS_LIMIT = 512L * 1024 * 1024;
    private final AtomicLong endlessWritten = new AtomicLong();
    private final CountDownLatch endlessDone = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        hangUp.countDown();
        dribbler.shutdownNow();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private int port() {
        return server.getAddress().getPort();
    }

    /**
     * /ok 200 JSON; /big 2000 bytes with a Content-Length; /big-chunked 2000 bytes chunked; /drip a byte every
     * 50 ms for ever; /echo 404 quoting the request line and headers, with a CR/LF and a secret, 1000 chars long.
     */
    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        hostHeaders.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
        switch (path) {
            case "/big" -> send(exchange, 200, "x".repeat(2_000));
            case "/big-chunked" -> {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("y".repeat(2_000).getBytes(StandardCharsets.UTF_8));
                }
            }
            case "/endless" -> {
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    while (endlessWritten.get() < ENDLESS_LIMIT) {
                        out.write(chunk);
                        endlessWritten.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the client hung up, as it should once it has read past its cap
                } finally {
                    endlessDone.countDown();
                }
            }
            case "/drip" -> {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                dribbler.scheduleAtFixedRate(() -> {
                    try {
                        out.write('z');
                        out.flush();
                    } catch (IOException e) {
                        throw new IllegalStateException(e); // the client hung up: stop dripping
                    }
                }, 0, 50, TimeUnit.MILLISECONDS);
                try {
                    hangUp.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case "/echo" -> {
                String echoed = exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\r\nInjected: forged log line\n"
                        + "Authorization: " + exchange.getRequestHeaders().getFirst("Authorization") + "\n"
                        + "x".repeat(170) + SECRET + "x".repeat(800);
                send(exchange, 404, echoed);
            }
            default -> send(exchange, 200, "{\"ok\":true}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static HttpTaskHandler.Input get(String url, long timeoutMs) {
        return new HttpTaskHandler.Input("GET", url, null, null, timeoutMs);
    }

    @Test
    void shouldConnectOnlyToTheAddressItCheckedWhenDnsAnswersDifferentlyTheSecondTime() throws Exception {
        // given a name whose DNS answers a public address first, then the loopback address of our server
        String host = "rebind" + ControlledDns.SUFFIX;
        ControlledDns.answer(host, "203.0.113.10", "127.0.0.1");
        HttpTaskHandler handler = Handlers.handler(List.of(), 1024);
        // when the handler calls it (the public address does not answer here)
        assertThatThrownBy(() -> handler.handle(get("http://" + host + ":" + port() + "/ok", 500), Handlers.CONTEXT))
                .isInstanceOf(IOException.class);
        // then the name was resolved once, and the private address of the second answer was never reached
        assertThat(ControlledDns.lookups(host)).isEqualTo(1);
        assertThat(calls).doesNotContainKey("/ok");
    }

    @Test
    void shouldConnectToTheResolvedAddressWhileKeepingTheHostName() throws Exception {
        // given a name allowed by the configuration, which DNS maps to the local server
        String host = "api" + ControlledDns.SUFFIX;
        ControlledDns.answer(host, "127.0.0.1");
        HttpTaskHandler handler = Handlers.handler(List.of(host), 1024);
        // when
        HttpTaskHandler.Output output = handler.handle(get("http://" + host + ":" + port() + "/ok", 2_000), Handlers.CONTEXT);
        // then the call reached the pinned address, named as in the URL, after a single lookup
        assertThat(output.status()).isEqualTo(200);
        assertThat(hostHeaders.get("/ok")).isEqualTo(host + ":" + port());
        assertThat(ControlledDns.lookups(host)).isEqualTo(1);
    }

    @Test
    void shouldFailForGoodWhenTheResponseIsLongerThanTheCap() throws Exception {
        HttpTaskHandler handler = Handlers.handler(List.of("127.0.0.1"), 1_024);
        // when the body is announced longer than the cap, or streamed past it
        for (String path : List.of("/big", "/big-chunked")) {
            assertThatThrownBy(() -> handler.handle(get("http://127.0.0.1:" + port() + path, 2_000), Handlers.CONTEXT))
                    .as(path).isInstanceOf(TerminalTaskException.class)
                    .hasMessageContaining("longer than 1024 bytes (flowraft.worker.http.max-response-bytes)");
        }
        // and a body within the cap is output
        HttpTaskHandler roomy = Handlers.handler(List.of("127.0.0.1"), 4_096);
        assertThat(roomy.handle(get("http://127.0.0.1:" + port() + "/big", 2_000), Handlers.CONTEXT).body().asString())
                .hasSize(2_000);
    }

    @Test
    void shouldStopReadingAnEndlessBodyAtTheCap() {
        // given a server that would send 512 MiB
        HttpTaskHandler handler = Handlers.handler(List.of("127.0.0.1"), 1_024);
        // when
        assertThatThrownBy(() -> handler.handle(get("http://127.0.0.1:" + port() + "/endless", 20_000), Handlers.CONTEXT))
                .isInstanceOf(TerminalTaskException.class).hasMessageContaining("longer than 1024 bytes");
        // then the connection was dropped at the cap: the server could write little more than the sockets buffer
        await().atMost(Duration.ofSeconds(20)).until(() -> endlessDone.getCount() == 0);
        assertThat(endlessWritten.get()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void shouldEndTheWholeCallAtTheTimeoutEvenWhileBytesKeepComing() {
        // given a server that sends a byte every 50 ms for ever, so no single read ever waits 300 ms
        HttpTaskHandler handler = Handlers.handler(List.of("127.0.0.1"), 1_024 * 1_024);
        long started = System.nanoTime();
        // when
        assertThatThrownBy(() -> handler.handle(get("http://127.0.0.1:" + port() + "/drip", 300), Handlers.CONTEXT))
                // then the attempt fails as retryable once the 300 ms are over
                .isInstanceOf(IOException.class).hasMessageContaining("within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldQuoteNeitherCredentialsNorQueryNorRawLineBreaksInErrors() {
        // given a call with a token in its query and a bearer token, to a server that echoes both in a 404
        HttpTaskHandler handler = Handlers.handler(List.of("127.0.0.1"), 4_096);
        String url = "http://127.0.0.1:" + port() + "/echo?access_token=qwerty-123456&page=2#frag";
        HttpTaskHandler.Input input = new HttpTaskHandler.Input("GET", url,
                Map.of("Authorization", "Bearer bearer-token-987654", "Accept", "application/json"), null, 2_000L);
        // (the worker's context redacts the secrets the attempt resolved; this one redacts SECRET)
        TaskContext redacting = new Handlers.StubContext(text -> text.replace(SECRET, "***"));
        // when
        assertThatThrownBy(() -> handler.handle(input, redacting))
                .isInstanceOf(TerminalTaskException.class)
                .satisfies(e -> {
                    String message = e.getMessage();
                    // then it names the URL without query or fragment, and quotes a short, redacted, one-line excerpt
                    assertThat(message).startsWith("HTTP 404 from http://127.0.0.1:" + port() + "/echo: GET /echo?***");
                    assertThat(message).doesNotContain("qwerty-123456", "access_token=", "bearer-token-987654", "#frag",
                            "API-SE", "\r", "\n");
                    assertThat(message).contains("\\r\\nInjected: forged log line\\n", "Authorization: ***\\n", "x***x");
                    assertThat(message.length()).isLessThan(HttpTaskHandler.EXCERPT_CHARS + 100);
                });
    }

    @Test
    void shouldRefuseUserInfoAndHeaderInjectionForGood() {
        HttpTaskHandler handler = Handlers.handler(List.of("127.0.0.1"), 1_024);
        // a URL with credentials in it is refused without quoting them
        assertThatThrownBy(() -> handler.handle(get("http://admin:hunter2-pass@127.0.0.1:" + port() + "/ok", 500), Handlers.CONTEXT))
                .isInstanceOf(TerminalTaskException.class).hasMessageContaining("user info")
                .hasMessageNotContaining("hunter2-pass");
        // a header value with a line break, or a header the client owns, is refused
        assertThatThrownBy(() -> handler.handle(new HttpTaskHandler.Input("GET", "http://127.0.0.1:" + port() + "/ok",
                Map.of("X-A", "1\r\nX-Injected: 2"), null, 500L), Handlers.CONTEXT))
                .isInstanceOf(TerminalTaskException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> handler.handle(new HttpTaskHandler.Input("GET", "http://127.0.0.1:" + port() + "/ok",
                Map.of("Host", "internal.example"), null, 500L), Handlers.CONTEXT))
                .isInstanceOf(TerminalTaskException.class).hasMessageContaining("cannot be set");
        assertThat(calls).isEmpty();
    }
}
