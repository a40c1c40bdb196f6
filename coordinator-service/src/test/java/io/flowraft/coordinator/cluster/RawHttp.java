package io.flowraft.coordinator.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import io.flowraft.contracts.json.FlowRaftJson;

/** Plain HTTP for tests that must send what a typed client never would. */
final class RawHttp {

    record Response(int status, String contentType, String retryAfter, String body) {

        JsonNode json() {
            return FlowRaftJson.mapper().readTree(body);
        }

        String problemType() {
            return json().get("type").asString();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Response post(URI base, String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static Response postJson(URI base, String path, String body) {
        return post(base, path, "application/json", body);
    }

    static Response get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    static Response delete(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }
}
