package io.flowraft.coordinator.api;

import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** A plain HTTP client for the tests: real requests to the real server, no Spring on the client side. */
final class ApiHttp {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    ApiHttp(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    Response get(String path, String... headers) {
        return send(with(request(path).GET(), headers).build());
    }

    CompletableFuture<Response> getAsync(String path) {
        return client.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).thenApply(Response::of);
    }

    /** A JSON POST; {@code json == null} sends no body and no content type. */
    Response post(String path, String json, String... headers) {
        return send(postRequest(path, json, headers));
    }

    CompletableFuture<Response> postAsync(String path, String json, String... headers) {
        return client.sendAsync(postRequest(path, json, headers), HttpResponse.BodyHandlers.ofString())
                .thenApply(Response::of);
    }

    Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    private HttpRequest postRequest(String path, String json, String... headers) {
        HttpRequest.Builder builder = request(path);
        if (json == null) {
            builder.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return with(builder, headers).build();
    }

    private static HttpRequest.Builder with(HttpRequest.Builder builder, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        return builder;
    }

    Response send(HttpRequest request) {
        try {
            return Response.of(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, HttpHeaders headers, String body) {

        static Response of(HttpResponse<String> response) {
            return new Response(response.statusCode(), response.headers(), response.body());
        }

        JsonNode json() {
            return FlowRaftJson.mapper().readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
