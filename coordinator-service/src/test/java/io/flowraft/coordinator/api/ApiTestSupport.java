package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The REST layer on a random port over a {@link DirectEngineGateway}, reset before each test. Every test class
 * extends this, so they share one Spring context.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                // application.properties puts the Raft node's health in readiness and liveness; there is no Raft
                // node here.
                "management.endpoint.health.group.readiness.include=readinessState",
                "management.endpoint.health.group.liveness.include=livenessState",
                // Few platform threads, so a test with more waiting polls than threads proves none is held.
                "spring.threads.virtual.enabled=false",
                // the REST layer's own behaviour; authentication is SecurityMatrixTest's
                "flowraft.security.mode=insecure-local",
                "server.tomcat.threads.max=16"})
abstract class ApiTestSupport {

    static final String DEFINITIONS = "/api/v1/definitions";
    static final String WORKFLOWS = "/api/v1/workflows";
    static final String POLL = "/api/v1/tasks/poll";

    /** Two tasks: {@code charge} then {@code ship}. */
    static final String ORDERS_TASKS = """
            [{"id": "charge", "type": "payment", "input": {"amount": "${input.amount}"}},
             {"id": "ship", "type": "shipping", "dependsOn": ["charge"]}]""";

    @LocalServerPort
    int port;

    @Autowired
    DirectEngineGateway gateway;

    ApiHttp http;

    @BeforeEach
    void resetGateway() {
        gateway.reset();
        http = new ApiHttp(port);
    }

    ApiHttp.Response registerOrders() {
        ApiHttp.Response response = http.post(DEFINITIONS, "{\"name\": \"orders\", \"tasks\": " + ORDERS_TASKS + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    /** Submits a workflow of {@code orders} and answers its id. */
    String submitOrder(int amount) {
        ApiHttp.Response response = http.post(WORKFLOWS,
                "{\"definition\": \"orders\", \"input\": {\"amount\": " + amount + "}}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    /** Polls once, without waiting, and answers the leases array. */
    JsonNode pollNow(String workerId, String type) {
        ApiHttp.Response response = http.post(POLL,
                "{\"workerId\": \"" + workerId + "\", \"taskTypes\": [\"" + type + "\"], \"maxTasks\": 10}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** A problem+json answer of the given status and FlowRaft type, naming {@code field} (or none if null). */
    static JsonNode assertProblem(ApiHttp.Response response, int status, ProblemType type, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return assertProblemBody(response, status, type.uri().toString(), field);
    }

    /** A problem+json answer for a status with no FlowRaft type ({@code about:blank}). */
    static JsonNode assertBlankProblem(ApiHttp.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return assertProblemBody(response, status, "about:blank", null);
    }

    private static JsonNode assertProblemBody(ApiHttp.Response response, int status, String type, String field) {
        assertThat(response.contentType()).as("content type of " + response.body()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asString()).as(response.body()).isEqualTo(type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.path("field").asString()).as(response.body()).isEqualTo(field);
        }
        // Never internals: no stack trace, no exception class, no Spring Boot default error body.
        assertThat(response.body()).doesNotContain("\tat ", "Exception", "trace", "java.");
        return problem;
    }
}
