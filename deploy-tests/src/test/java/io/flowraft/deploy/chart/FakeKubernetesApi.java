package io.flowraft.deploy.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The part of a Kubernetes API server the chart's {@code lookup} calls need, on loopback: discovery of the kinds
 * looked up and {@code GET} of one object, answered from the objects {@link #install installed} here (404 for
 * any other, which {@code lookup} turns into an empty result, as on a first install).
 *
 * <p>helm-java's {@code template} evaluates {@code lookup} against the cluster of {@code $KUBECONFIG} (plain
 * {@code helm template} does not): without this it fails on a connection refused, and with a developer's own
 * kubeconfig it would read their cluster. deploy-tests/pom.xml points {@code KUBECONFIG} at the file
 * {@link #writeKubeconfig} writes.
 */
final class FakeKubernetesApi {

    /** The kinds the chart looks up: apiVersion → (kind → resource). */
    private static final Map<String, Map<String, String>> KINDS = Map.of(
            "v1", Map.of("Secret", "secrets"),
            "apps/v1", Map.of("StatefulSet", "statefulsets"));

    private final HttpServer server;
    private final Map<String, String> objects = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    private FakeKubernetesApi(HttpServer server) {
        this.server = server;
    }

    static FakeKubernetesApi start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeKubernetesApi api = new FakeKubernetesApi(server);
            server.createContext("/", api::handle);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a kubeconfig naming this server (no credentials, namespace {@value HelmChart#NAMESPACE}). */
    void writeKubeconfig(Path file) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster: {server: "%s"}
                users:
                  - name: fake
                    user: {}
                contexts:
                  - name: fake
                    context: {cluster: fake, user: fake, namespace: %s}
                current-context: fake
                """.formatted(url, HelmChart.NAMESPACE);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes exactly these objects the cluster's (all of them in the object's namespace). */
    synchronized void install(List<? extends HasMetadata> installed) {
        objects.clear();
        for (HasMetadata object : installed) {
            String resource = KINDS.getOrDefault(object.getApiVersion(), Map.of()).get(object.getKind());
            if (resource == null) {
                throw new IllegalArgumentException("not a kind the chart looks up: " + object.getFullResourceName());
            }
            objects.put(path(object.getApiVersion(), resource, object.getMetadata().getNamespace(),
                    object.getMetadata().getName()), Rendered.SERIALIZATION.asJson(object));
        }
    }

    /** Requests this server could not answer sensibly (other than a 404 for an object it does not hold). */
    List<String> unexpectedRequests() {
        return new ArrayList<>(unexpected);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                unexpected.add(exchange.getRequestMethod() + " " + path);
                respond(exchange, 405, status(405, "MethodNotAllowed", "read only"));
                return;
            }
            String discovery = discovery(path);
            if (discovery != null) {
                respond(exchange, 200, discovery);
                return;
            }
            String object = objects.get(path);
            if (object != null) {
                respond(exchange, 200, object);
                return;
            }
            if (!isObjectPath(path)) {
                unexpected.add("GET " + path);
            }
            respond(exchange, 404, status(404, "NotFound", path + " not found"));
        }
    }

    private static String discovery(String path) {
        for (Map.Entry<String, Map<String, String>> group : KINDS.entrySet()) {
            String apiVersion = group.getKey();
            if (path.equals(groupPath(apiVersion))) {
                StringBuilder resources = new StringBuilder();
                group.getValue().forEach((kind, resource) -> resources.append(resources.isEmpty() ? "" : ",")
                        .append("{\"name\":\"%s\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"%s\",\"verbs\":[\"get\",\"list\"]}"
                                .formatted(resource, kind)));
                return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"%s\",\"resources\":[%s]}"
                        .formatted(apiVersion, resources);
            }
        }
        return null;
    }

    private static boolean isObjectPath(String path) {
        return KINDS.entrySet().stream().anyMatch(group -> group.getValue().values().stream()
                .anyMatch(resource -> path.matches(groupPath(group.getKey()) + "/namespaces/[^/]+/" + resource + "/[^/]+")));
    }

    private static String path(String apiVersion, String resource, String namespace, String name) {
        return groupPath(apiVersion) + "/namespaces/" + (namespace == null ? HelmChart.NAMESPACE : namespace) + "/"
                + resource + "/" + name;
    }

    private static String groupPath(String apiVersion) {
        return apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"%s\",\"code\":%d,\"message\":\"%s\"}"
                .formatted(reason, code, message);
    }

    private static void respond(HttpExchange exchange, int code, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
