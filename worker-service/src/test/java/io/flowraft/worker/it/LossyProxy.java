package io.flowraft.worker.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowraft.contracts.FlowRaftHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy in front of one real coordinator that passes requests and answers through, except that a
 * {@link Script} may hold a request back or lose an answer the coordinator gave (the connection then closes
 * unanswered, as in a network failure): a lost answer is one whose effect was committed all the same.
 */
final class LossyProxy implements AutoCloseable {

    /** What the proxy does besides passing things through. Called on the proxy's threads, one per request. */
    interface Script {

        /** Called before {@code body} is forwarded to {@code path}; may block, to hold the request back. */
        default void before(String path, byte[] body) throws InterruptedException {
        }

        /** Called with the coordinator's answer; {@code true} loses it. */
        default boolean lose(String path, byte[] body, int status, byte[] answer) {
            return false;
        }
    }

    /** Headers worth passing on in either direction. */
    private static final List<String> HEADERS = List.of("Content-Type", "Accept", FlowRaftHttp.ROLE, FlowRaftHttp.RETRY_AFTER);

    private final URI coordinator;
    private final Script script;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newHttpClient();

    LossyProxy(URI coordinator, Script script) throws IOException {
        this.coordinator = coordinator;
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::pass);
        // Long polls and held requests block their thread: each request gets its own.
        server.setExecutor(threads);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void pass(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            script.before(path, body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(coordinator + path + (query == null ? "" : "?" + query)))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            HEADERS.forEach(name -> exchange.getRequestHeaders().getOrDefault(name, List.of()).forEach(v -> request.header(name, v)));
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (script.lose(path, body, answer.statusCode(), answer.body())) {
                return;
            }
            HEADERS.forEach(name -> answer.headers().allValues(name).forEach(v -> exchange.getResponseHeaders().add(name, v)));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        http.close();
    }
}
