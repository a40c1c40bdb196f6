package io.flowraft.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint against every kind of caller, on a real secure coordinator: no credentials, a wrong key, an
 * expired JWT, a JWT signed by someone else, each role's API key and a JWT carrying a role. Allowed callers get
 * past security (whatever the endpoint then answers); others get 401 or 403 as problem+json.
 */
class SecurityMatrixTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SecureClusterFixture fixture;
    private static URI base;
    private static String workflowId;

    @BeforeAll
    static void cluster() {
        fixture = new SecureClusterFixture(1,
                "--flowraft.security.api-keys[5].principal=slow",
                "--flowraft.security.api-keys[5].roles=reader",
                "--flowraft.security.api-keys[5].sha256=" + ApiKeys.sha256Hex("slow-key-" + "x".repeat(40)),
                "--flowraft.security.api-keys[5].per-second=0.001");
        base = fixture.cluster.baseUri(0);
        fixture.cluster.awaitLeader(Duration.ofSeconds(10));
        Response registered = send("POST", "/api/v1/definitions", DEFINITION, fixture.clientKey);
        assertThat(registered.status).as(registered.body).isEqualTo(201);
        Response submitted = send("POST", "/api/v1/workflows", SUBMIT, fixture.clientKey);
        assertThat(submitted.status).as(submitted.body).isIn(200, 201, 202);
        workflowId = submitted.json().get("id").asString();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static final String DEFINITION = """
            {"name": "matrix", "tasks": [{"id": "a", "type": "matrix-task"}]}""";
    private static final String SUBMIT = """
            {"definition": "matrix", "input": {}}""";

    /** One endpoint: how to call it and which roles may. */
    private record Endpoint(String method, String path, String body, Set<Role> allowed) {
    }

    private static List<Endpoint> endpoints() {
        String missing = "00000000-0000-0000-0000-000000000000";
        Set<Role> client = Set.of(Role.CLIENT, Role.ADMIN);
        Set<Role> reads = Set.of(Role.CLIENT, Role.READER, Role.ADMIN);
        Set<Role> worker = Set.of(Role.WORKER, Role.ADMIN);
        Set<Role> admin = Set.of(Role.ADMIN);
        return List.of(
                new Endpoint("POST", "/api/v1/definitions", DEFINITION, client),
                new Endpoint("GET", "/api/v1/definitions/matrix", null, reads),
                new Endpoint("POST", "/api/v1/workflows", SUBMIT, client),
                new Endpoint("GET", "/api/v1/workflows/" + workflowId, null, reads),
                new Endpoint("GET", "/api/v1/workflows", null, reads),
                // the same rule as the list: a query parameter changes no role
                new Endpoint("GET", "/api/v1/workflows?stuck=true", null, reads),
                new Endpoint("GET", "/api/v1/workflows/" + workflowId + "/history", null, reads),
                new Endpoint("POST", "/api/v1/workflows/" + missing + "/cancel", "{}", client),
                new Endpoint("POST", "/api/v1/workflows/batch", "{\"workflows\": [" + SUBMIT + "]}", client),
                new Endpoint("POST", "/api/v1/workflows/ends", "{\"workflowIds\": [\"" + missing + "\"]}", reads),
                new Endpoint("POST", "/api/v1/tasks/poll",
                        "{\"workerId\": \"w\", \"taskTypes\": [\"nothing-here\"], \"maxTasks\": 1, \"waitMs\": 0}", worker),
                new Endpoint("POST", "/api/v1/leases/" + missing + ".a.1/heartbeat", "{}", worker),
                new Endpoint("POST", "/api/v1/leases/" + missing + ".a.1/complete", "{\"output\": {}}", worker),
                new Endpoint("POST", "/api/v1/leases/" + missing + ".a.1/fail", "{\"error\": \"x\"}", worker),
                new Endpoint("POST", "/api/v1/reports", "{\"reports\": []}", worker),
                new Endpoint("GET", "/api/v1/cluster", null, Set.of(Role.values())),
                new Endpoint("GET", "/api/v1/cluster/engine-settings", null, Set.of(Role.READER, Role.ADMIN)),
                new Endpoint("PUT", "/api/v1/cluster/engine-settings", "{}", admin),
                new Endpoint("GET", "/api/v1/task-types", null, reads),
                new Endpoint("GET", "/api/v1/task-types/matrix-task", null, reads),
                new Endpoint("PUT", "/api/v1/task-types/matrix-task", "{\"rateLimit\": {\"perSecond\": 1000}}", admin),
                new Endpoint("POST", "/api/v1/cluster/peers", "{\"peer\": \"not a peer\"}", admin),
                new Endpoint("DELETE", "/api/v1/cluster/peers/127.0.0.1:1", null, admin),
                new Endpoint("POST", "/api/v1/cluster/leader", "{\"peer\": \"127.0.0.1:1\"}", admin),
                new Endpoint("POST", "/api/v1/cluster/snapshot", null, admin),
                new Endpoint("GET", "/actuator/prometheus", null, Set.of(Role.READER, Role.ADMIN)));
    }

    @Test
    void shouldAnswerEveryEndpointForEveryCallerAsTheRolesTableSays() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPrivateKey stranger = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
        Instant inAnHour = Instant.now().plusSeconds(3600);
        Map<String, String> anonymous = new LinkedHashMap<>();
        anonymous.put("no credentials", null);
        anonymous.put("a wrong key", SecureClusterFixture.newKey());
        anonymous.put("an expired JWT", fixture.jwt("shop", List.of("client", "admin"), Instant.now().minusSeconds(120)));
        anonymous.put("a JWT signed by another key", SecureClusterFixture.jwt("shop", List.of("admin"), inAnHour, stranger));
        Map<String, Map.Entry<Role, String>> roles = new LinkedHashMap<>();
        roles.put("the client key", Map.entry(Role.CLIENT, fixture.clientKey));
        roles.put("the worker key", Map.entry(Role.WORKER, fixture.workerKey));
        roles.put("the reader key", Map.entry(Role.READER, fixture.readerKey));
        roles.put("the admin key", Map.entry(Role.ADMIN, fixture.adminKey));
        roles.put("a client JWT", Map.entry(Role.CLIENT, fixture.jwt("shop-jwt", List.of("client"), inAnHour)));
        roles.put("a worker JWT", Map.entry(Role.WORKER, fixture.jwt("worker-jwt", List.of("worker"), inAnHour)));
        roles.put("a reader JWT", Map.entry(Role.READER, fixture.jwt("auditor-jwt", List.of("reader"), inAnHour)));
        roles.put("an admin JWT", Map.entry(Role.ADMIN, fixture.jwt("ops-jwt", List.of("admin"), inAnHour)));

        SoftAssertions softly = new SoftAssertions();
        List<Endpoint> endpoints = endpoints();
        for (Endpoint endpoint : endpoints) {
            String name = endpoint.method() + " " + endpoint.path();
            for (Map.Entry<String, String> caller : anonymous.entrySet()) {
                Response response = send(endpoint.method(), endpoint.path(), endpoint.body(), caller.getValue());
                softly.assertThat(response.status).as(name + " with " + caller.getKey() + ": " + response.body).isEqualTo(401);
                softly.assertThat(response.problemType()).as(name + " with " + caller.getKey())
                        .isEqualTo(ProblemType.UNAUTHORIZED.uri().toString());
                softly.assertThat(response.contentType).as(name).startsWith("application/problem+json");
                softly.assertThat(response.wwwAuthenticate).as(name).isEqualTo("Bearer");
            }
            for (Map.Entry<String, Map.Entry<Role, String>> caller : roles.entrySet()) {
                Response response = send(endpoint.method(), endpoint.path(), endpoint.body(), caller.getValue().getValue());
                String what = name + " with " + caller.getKey() + ": " + response.body;
                if (endpoint.allowed().contains(caller.getValue().getKey())) {
                    softly.assertThat(response.status).as(what).isNotIn(401, 403).isLessThan(500);
                } else {
                    softly.assertThat(response.status).as(what).isEqualTo(403);
                    softly.assertThat(response.problemType()).as(what).isEqualTo(ProblemType.FORBIDDEN.uri().toString());
                    softly.assertThat(response.contentType).as(what).startsWith("application/problem+json");
                }
            }
        }
        softly.assertAll();
        assertThat(endpoints).hasSize(26);
    }

    @Test
    void shouldLetCallersWithRightsDoTheRealThing() {
        // a client's submit and read succeed outright, a worker's poll is answered, an admin's snapshot is taken
        assertThat(send("GET", "/api/v1/workflows/" + workflowId, null, fixture.clientKey).status).isEqualTo(200);
        assertThat(send("GET", "/api/v1/workflows/" + workflowId, null, fixture.readerKey).status).isEqualTo(200);
        assertThat(send("POST", "/api/v1/tasks/poll",
                "{\"workerId\": \"w\", \"taskTypes\": [\"nothing-here\"], \"maxTasks\": 1, \"waitMs\": 0}",
                fixture.workerKey).status).isEqualTo(200);
        assertThat(send("POST", "/api/v1/cluster/snapshot", null, fixture.adminKey).status).isEqualTo(200);
    }

    @Test
    void shouldExplainA403WithTheRolesNeededAndHeld() {
        Response response = send("POST", "/api/v1/cluster/snapshot", null, fixture.clientKey);

        assertThat(response.status).isEqualTo(403);
        assertThat(response.json().get("detail").asString())
                .contains("POST /api/v1/cluster/snapshot", "needs role admin", "'shop'", "has role client");
        assertThat(response.json().get("field").asString()).isEqualTo("Authorization");
    }

    @Test
    void shouldExplainA401WithoutSayingWhichCredentialsExist() {
        Response none = send("GET", "/api/v1/workflows", null, null);
        Response basic = send("GET", "/api/v1/workflows", null, null, "Basic dXNlcjpwYXNz");
        Response wrong = send("GET", "/api/v1/workflows", null, fixture.clientKey + "x");

        assertThat(none.json().get("detail").asString()).contains("Authorization: Bearer");
        assertThat(basic.status).isEqualTo(401);
        assertThat(basic.json().get("detail").asString()).contains("Bearer scheme");
        assertThat(wrong.status).isEqualTo(401);
        assertThat(wrong.json().get("detail").asString()).doesNotContain("shop", fixture.clientKey);
    }

    @Test
    void shouldKeepProbesOpenAndMetricsOnTheManagementPortOnly() {
        assertThat(send("GET", "/actuator/health/liveness", null, null).status).isEqualTo(200);
        Response readiness = send("GET", "/actuator/health/readiness", null, null);
        assertThat(readiness.status).isEqualTo(200);
        assertThat(readiness.body).doesNotContain("raft");
        assertThat(send("GET", "/readyz", null, null).status).isEqualTo(200);
        // the API port shows nothing more without credentials; the management port serves details and metrics
        assertThat(send("GET", "/actuator/health", null, null).status).isEqualTo(401);
        URI management = fixture.cluster.managementUri(0);
        assertThat(management.getPort()).isNotEqualTo(base.getPort());
        Response metrics = send(management, "GET", "/actuator/prometheus", null, null, null);
        assertThat(metrics.status).isEqualTo(200);
        assertThat(metrics.body).contains("flowraft_raft_term");
        assertThat(send(management, "GET", "/actuator/health", null, null, null).body).contains("raftLiveness");
    }

    @Test
    void shouldAnswer429RateLimitedWithRetryAfterOnceAPrincipalIsOverItsRate() {
        String slow = "slow-key-" + "x".repeat(40);
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            responses.add(send("GET", "/api/v1/workflows", null, slow));
        }

        // one request per 1000 s: the first passes, the next two are refused
        assertThat(responses.get(0).status).isEqualTo(200);
        for (Response refused : responses.subList(1, 3)) {
            assertThat(refused.status).isEqualTo(429);
            assertThat(refused.problemType()).isEqualTo(ProblemType.RATE_LIMITED.uri().toString());
            assertThat(refused.json().get("reason").asString()).isEqualTo("rate-limited");
            assertThat(Long.parseLong(refused.retryAfter)).isBetween(900L, 1000L);
            assertThat(refused.json().get("detail").asString()).contains("'slow'");
        }
        // and another principal is not affected
        assertThat(send("GET", "/api/v1/workflows", null, fixture.readerKey).status).isEqualTo(200);
    }

    private record Response(int status, String contentType, String wwwAuthenticate, String retryAfter, String body) {

        JsonNode json() {
            return FlowRaftJson.mapper().readTree(body);
        }

        String problemType() {
            return body.isEmpty() ? null : json().path("type").asString();
        }
    }

    private static Response send(String method, String path, String body, String token) {
        return send(base, method, path, body, token, null);
    }

    private static Response send(String method, String path, String body, String token, String authorization) {
        return send(base, method, path, body, token, authorization);
    }

    private static Response send(URI to, String method, String path, String body, String token, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        } else if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("WWW-Authenticate").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
