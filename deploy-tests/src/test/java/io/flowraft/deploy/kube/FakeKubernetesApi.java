package io.flowraft.deploy.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of a Kubernetes API server that Helm's {@code lookup} reads: discovery and GET of a namespaced Secret or
 * StatefulSet. helm-java renders against the cluster of {@code $KUBECONFIG} (the build points it at the file this
 * server writes, see deploy-tests/pom.xml), so what a test stores here is what the chart's {@code lookup} finds: the
 * installed credentials on an upgrade, the installed StatefulSet when judging a scale-down. Nothing stored: the
 * answers of a fresh namespace (404).
 */
public final class FakeKubernetesApi {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static FakeKubernetesApi instance;

    private final Map<String, String> objects = new ConcurrentHashMap<>();

    private FakeKubernetesApi(Path kubeconfig) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(null);
        server.start();
        Files.createDirectories(kubeconfig.toAbsolutePath().getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://127.0.0.1:%d
                contexts:
                  - name: fake
                    context:
                      cluster: fake
                      user: fake
                current-context: fake
                users:
                  - name: fake
                    user: {}
                """.formatted(server.getAddress().getPort()));
    }

    /** The server of this JVM, started on first use and writing the kubeconfig that {@code $KUBECONFIG} names. */
    public static synchronized FakeKubernetesApi get() {
        if (instance == null) {
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || kubeconfig.isBlank()) {
                throw new IllegalStateException("KUBECONFIG is not set: run the tests through Maven (deploy-tests/pom.xml sets it)");
            }
            try {
                instance = new FakeKubernetesApi(Path.of(kubeconfig));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Stores an object as the API server would hold it after {@code helm install} (Secret or StatefulSet). */
    public void put(String namespace, HasMetadata object) {
        HasMetadata stored = object;
        if (object instanceof Secret secret && secret.getStringData() != null) {
            // As the API server does: stringData is written into data, base64-encoded, and not kept.
            Map<String, String> data = new TreeMap<>(secret.getData() == null ? Map.of() : secret.getData());
            secret.getStringData().forEach((k, v) ->
                    data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            stored = new SecretBuilder(secret).withStringData(null).withData(data).build();
        }
        objects.put(path(namespace, stored.getKind(), stored.getMetadata().getName()), SERIALIZATION.asJson(stored));
    }

    /** Forgets every object of a namespace. */
    public void clear(String namespace) {
        objects.keySet().removeIf(path -> path.contains("/namespaces/" + namespace + "/"));
    }

    private static String path(String namespace, String kind, String name) {
        return switch (kind) {
            case "Secret" -> "/api/v1/namespaces/" + namespace + "/secrets/" + name;
            case "StatefulSet" -> "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/" + name;
            default -> throw new IllegalArgumentException("the chart looks up Secrets and StatefulSets only, not " + kind);
        };
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = switch (path) {
            case "/version" -> "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}";
            case "/api" -> "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}";
            case "/apis" -> """
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1",\
                    "version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}""";
            case "/api/v1" -> resources("v1", "secrets", "Secret");
            case "/apis/apps/v1" -> resources("apps/v1", "statefulsets", "StatefulSet");
            default -> objects.get(path);
        };
        int status = 200;
        if (body == null) {
            status = 404;
            body = """
                    {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,\
                    "message":"%s not found"}""".formatted(path);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String resources(String groupVersion, String plural, String kind) {
        return """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"%s","resources":[{"name":"%s",\
                "singularName":"","namespaced":true,"kind":"%s","verbs":["get","list"]}]}"""
                .formatted(groupVersion, plural, kind);
    }
}
