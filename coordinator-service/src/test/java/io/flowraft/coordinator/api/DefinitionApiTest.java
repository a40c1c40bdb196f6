package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DefinitionApiTest extends ApiTestSupport {

    @Test
    void shouldRegisterDefinitionWithDefaultsFilledIn() {
        // when
        ApiHttp.Response response = registerOrders();

        // then
        assertThat(response.header("Location")).isEqualTo("/api/v1/definitions/orders?version=1");
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode view = response.json();
        assertThat(view.get("name").asString()).isEqualTo("orders");
        assertThat(view.get("version").asInt()).isEqualTo(1);
        JsonNode charge = view.get("tasks").get(0);
        assertThat(charge.get("trigger").asString()).isEqualTo("ALL_SUCCESS");
        assertThat(charge.get("retry").get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(charge.get("timeoutMs").asLong()).isEqualTo(300_000);
        assertThat(charge.get("input").get("amount").asString()).isEqualTo("${input.amount}");
        assertThat(view.get("registeredAt").asString()).isEqualTo("2025-06-15T15:06:40Z");
    }

    @Test
    void shouldAnswerTheSameDefinitionWhenRegisteredAgainWithTheSameContent() {
        registerOrders();

        ApiHttp.Response again = registerOrders();

        assertThat(again.json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRegisterTheNextVersionWhenContentChanges() {
        registerOrders();

        ApiHttp.Response second = http.post(DEFINITIONS,
                "{\"name\": \"orders\", \"tasks\": [{\"id\": \"only\", \"type\": \"payment\"}]}");

        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        assertThat(http.get(DEFINITIONS + "/orders").json().get("version").asInt()).isEqualTo(2);
        assertThat(http.get(DEFINITIONS + "/orders?version=1").json().get("tasks").size()).isEqualTo(2);
        assertThat(http.get(DEFINITIONS + "/orders?version=1&consistency=stale").status()).isEqualTo(200);
    }

    @Test
    void shouldRejectOtherContentUnderAnExistingVersion() {
        registerOrders();

        ApiHttp.Response conflict = http.post(DEFINITIONS,
                "{\"name\": \"orders\", \"version\": 1, \"tasks\": [{\"id\": \"x\", \"type\": \"t\"}]}");

        assertProblem(conflict, 409, ProblemType.DEFINITION_CONFLICT, "version");
    }

    @Test
    void shouldAnswerNotFoundForUnknownDefinitionOrVersion() {
        registerOrders();

        assertProblem(http.get(DEFINITIONS + "/nope"), 404, ProblemType.DEFINITION_NOT_FOUND, "name");
        assertProblem(http.get(DEFINITIONS + "/orders?version=9"), 404, ProblemType.DEFINITION_NOT_FOUND, "name");
    }

    @Test
    void shouldRejectMalformedNameAndVersion() {
        assertProblem(http.get(DEFINITIONS + "/bad%01name"), 400, ProblemType.INVALID_REQUEST, "name");
        assertProblem(http.get(DEFINITIONS + "/orders?version=0"), 400, ProblemType.INVALID_REQUEST, "version");
        assertProblem(http.get(DEFINITIONS + "/orders?version=abc"), 400, ProblemType.INVALID_REQUEST, "version");
        assertProblem(http.post(DEFINITIONS, "{\"name\": \"orders\", \"version\": 0, \"tasks\": " + ORDERS_TASKS + "}"),
                400, ProblemType.INVALID_REQUEST, "version");
        assertProblem(http.post(DEFINITIONS, "{\"name\": \"../etc\", \"tasks\": " + ORDERS_TASKS + "}"),
                400, ProblemType.INVALID_REQUEST, "name");
    }

    @Test
    void shouldRejectCycleWithItsPath() {
        ApiHttp.Response response = register("""
                [{"id": "a", "type": "t", "dependsOn": ["b"]}, {"id": "b", "type": "t", "dependsOn": ["a"]}]""");

        JsonNode problem = assertProblem(response, 422, ProblemType.INVALID_DAG, "tasks");
        assertThat(problem.get("detail").asString()).contains("a -> b -> a");
    }

    @Test
    void shouldRejectSelfDependency() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"dependsOn\": [\"a\"]}]"),
                422, ProblemType.INVALID_DAG, "tasks[0].dependsOn[0]");
    }

    @Test
    void shouldRejectUnknownDependency() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\"}, {\"id\": \"b\", \"type\": \"t\", \"dependsOn\": [\"zz\"]}]"),
                422, ProblemType.INVALID_DAG, "tasks[1].dependsOn[0]");
    }

    @Test
    void shouldRejectDuplicateTaskIds() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\"}, {\"id\": \"a\", \"type\": \"t\"}]"),
                422, ProblemType.INVALID_DAG, "tasks[1].id");
    }

    @Test
    void shouldRejectEmptyDag() {
        assertProblem(register("[]"), 422, ProblemType.INVALID_DAG, "tasks");
        assertProblem(http.post(DEFINITIONS, "{\"name\": \"x\"}"), 422, ProblemType.INVALID_DAG, "tasks");
    }

    @Test
    void shouldRejectConditionThatDoesNotCompile() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"when\": \"input.amount >\"}]"),
                422, ProblemType.INVALID_CONDITION, "tasks[0].when");
    }

    @Test
    void shouldRejectNegativeTimeout() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"timeoutMs\": -1}]"),
                422, ProblemType.INVALID_DAG, "tasks[0].timeoutMs");
    }

    @Test
    void shouldRejectRetryCountThatIsNotAnInteger() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"retry\": {\"maxAttempts\": 1e30}}]"),
                400, ProblemType.INVALID_REQUEST, "tasks[0].retry.maxAttempts");
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"retry\": {\"maxAttempts\": 100000}}]"),
                422, ProblemType.INVALID_DAG, "tasks[0].retry.maxAttempts");
    }

    @Test
    void shouldRejectControlCharactersInTaskId() {
        assertProblem(register("[{\"id\": \"a\\u0000b\", \"type\": \"t\"}]"), 422, ProblemType.INVALID_DAG, "tasks[0].id");
    }

    @Test
    void shouldRejectUnknownTriggerRule() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"trigger\": \"SOMETIMES\"}]"),
                400, ProblemType.INVALID_REQUEST, "tasks[0].trigger");
    }

    @Test
    void shouldRejectConcurrencyLimitWithoutMax() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"concurrency\": {\"key\": \"db\"}}]"),
                400, ProblemType.INVALID_REQUEST, "tasks[0].concurrency.max");
    }

    @Test
    void shouldRejectNullInDependencyList() {
        assertProblem(register("[{\"id\": \"a\", \"type\": \"t\", \"dependsOn\": [null]}]"),
                400, ProblemType.INVALID_REQUEST, "tasks[0].dependsOn[0]");
    }

    private ApiHttp.Response register(String tasks) {
        return http.post(DEFINITIONS, "{\"name\": \"d\", \"tasks\": " + tasks + "}");
    }
}
