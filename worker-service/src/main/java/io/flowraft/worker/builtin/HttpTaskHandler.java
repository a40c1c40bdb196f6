package io.flowraft.worker.builtin;

import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.config.WorkerProperties;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.flowraft.worker.spi.TerminalTaskException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Built-in {@code http}: calls a URL with the task input and outputs the answer.
 *
 * <p>Input {@code {"method": "POST", "url": "https://...", "headers": {...}, "body": <any JSON>, "timeoutMs": 5000}}
 * ({@code method} defaults to GET, or POST when there is a body; a JSON string body is sent as text, anything
 * else as JSON). An {@code Idempotency-Key} header carrying the task's idempotency key is added unless the input
 * sets one, so a server that honours it applies a task's effect once across attempts.
 *
 * <p>Output {@code {"status": 200, "headers": {"content-type": "..."}, "body": ...}}: a JSON body is parsed,
 * any other is a string. Redirects are not followed (a 3xx is an answer).
 *
 * <p>Outcomes: 5xx, 408, 429, a timeout or a connection failure fail the attempt as retryable; any other 4xx,
 * a refused target (see {@link HttpTargetPolicy}), a malformed input or a body over
 * {@code flowraft.worker.http.max-response-bytes} fail the task for good.
 */
@Component
public class HttpTaskHandler implements TaskHandler<HttpTaskHandler.Input, HttpTaskHandler.Output> {

    public record Input(String method, String url, Map<String, String> headers, JsonNode body, Long timeoutMs) {
    }

    public record Output(int status, Map<String, String> headers, JsonNode body) {
    }

    private final WorkerProperties.Http settings;
    private final HttpTargetPolicy policy;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public HttpTaskHandler(WorkerProperties properties) {
        this.settings = properties.http();
        this.policy = new HttpTargetPolicy(settings.allowedHosts());
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Output handle(Input input, TaskContext context) throws IOException, InterruptedException {
        if (input == null || input.url() == null) {
            throw new TerminalTaskException("http needs at least {\"url\": \"https://...\"}");
        }
        URI uri;
        try {
            uri = URI.create(input.url());
        } catch (IllegalArgumentException e) {
            throw new TerminalTaskException("Malformed url '" + input.url() + "': " + e.getMessage());
        }
        policy.check(uri);
        Duration timeout = input.timeoutMs() == null ? settings.defaultTimeout() : Duration.ofMillis(input.timeoutMs());
        if (timeout.isNegative() || timeout.isZero()) {
            throw new TerminalTaskException("timeoutMs must be positive, was " + input.timeoutMs());
        }
        HttpRequest request = request(input, uri, timeout, context);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException("No answer from " + uri + " within " + timeout.toMillis() + " ms", e);
        }
        byte[] body;
        try (InputStream stream = response.body()) {
            body = stream.readNBytes(settings.maxResponseBytes() + 1);
        }
        int status = response.statusCode();
        String excerpt = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8);
        if (status >= 500 || status == 408 || status == 429) {
            throw new IOException("HTTP " + status + " from " + uri + ": " + excerpt);
        }
        if (status >= 400) {
            throw new TerminalTaskException("HTTP " + status + " from " + uri + ": " + excerpt);
        }
        if (body.length > settings.maxResponseBytes()) {
            throw new TerminalTaskException("The response of " + uri + " is longer than "
                    + settings.maxResponseBytes() + " bytes (flowraft.worker.http.max-response-bytes)");
        }
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        return new Output(status, headers, parse(body, headers.get("content-type")));
    }

    private static HttpRequest request(Input input, URI uri, Duration timeout, TaskContext context) {
        JsonNode body = input.body();
        boolean hasBody = body != null && !body.isNull() && !body.isMissingNode();
        String method = input.method() == null ? (hasBody ? "POST" : "GET") : input.method().toUpperCase(Locale.ROOT);
        HttpRequest.BodyPublisher publisher = !hasBody ? HttpRequest.BodyPublishers.noBody()
                : body.isString() ? HttpRequest.BodyPublishers.ofString(body.asString())
                : HttpRequest.BodyPublishers.ofByteArray(FlowRaftJson.mapper().writeValueAsBytes(body));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        Map<String, String> headers = input.headers() == null ? Map.of() : input.headers();
        try {
            builder.method(method, publisher);
            headers.forEach(builder::header);
        } catch (IllegalArgumentException e) {
            throw new TerminalTaskException("Cannot send this request: " + e.getMessage());
        }
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Idempotency-Key"))) {
            builder.header("Idempotency-Key", context.idempotencyKey());
        }
        if (hasBody && !body.isString() && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    private static JsonNode parse(byte[] body, String contentType) {
        if (body.length == 0) {
            return null;
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                return FlowRaftJson.mapper().readTree(body);
            } catch (JacksonException e) {
                // Not the JSON it claims to be: keep it as text.
            }
        }
        return StringNode.valueOf(new String(body, StandardCharsets.UTF_8));
    }
}
