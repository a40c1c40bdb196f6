package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskReport;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.json.FlowRaftJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every request body field takes exactly its JSON type: nothing is coerced (a number for a string, a string
 * for a number, a fraction for an integer, a number for a boolean or an enum), and {@code null} is no element
 * of a list. Each row puts one wrong value into a body that is otherwise accepted as it stands
 * ({@link #shouldAcceptEveryBodyAsItStands}), so a row can only pass because of its one value; the answer is
 * 400 {@code invalid-request} naming the field as a path and the JSON type it wants. Bodies that are no object
 * and integer query parameters that are no integer are refused the same way.
 */
class StrictJsonTypesTest extends ApiTestSupport {

    private static final String INTEGER = "an integer";
    private static final String NUMBER = "a number";
    private static final String STRING = "a string";
    private static final String BOOLEAN = "true or false";
    private static final String ARRAY = "an array";
    private static final String OBJECT = "an object";
    private static final String TRIGGER = "one of " + List.of(TriggerRule.values());
    private static final String OUTCOME = "one of " + List.of(TaskReport.Outcome.values());

    /** One step of a field path: a member name or an array index. */
    private static final Pattern STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");

    /** Stands for the value of a row in a body until the body is written out. */
    private static final String SPLICE = "@@value@@";

    /** A lease id of the right shape that was never granted: the body is read before the lease is looked up. */
    private static final String LEASE = "wf-1.a.1";

    /** The endpoints with a body (all POST), each with a body that is accepted, and the status it is answered with. */
    enum Endpoint {
        REGISTER(DEFINITIONS, 201, """
                {"name": "strict", "version": 1, "tasks": [{"id": "a", "type": "t", "dependsOn": [],
                 "input": {"n": 1}, "when": "true", "trigger": "ALL_DONE",
                 "retry": {"maxAttempts": 2, "initialBackoffMs": 10, "multiplier": 1.5, "maxBackoffMs": 100},
                 "timeoutMs": 1000, "concurrency": {"key": "k", "max": 2}}]}"""),
        SUBMIT(WORKFLOWS, 201, """
                {"tasks": [{"id": "a", "type": "t", "retry": {"multiplier": 1.5}, "timeoutMs": 2000}],
                 "input": {"n": 1}, "idempotencyKey": "strict-1"}"""),
        POLL(ApiTestSupport.POLL, 200, """
                {"workerId": "w-1", "taskTypes": ["t"], "maxTasks": 2, "waitMs": 0, "leaseMs": 30000,
                 "pollId": "p-1"}"""),
        COMPLETE("/api/v1/leases/" + LEASE + "/complete", 404, """
                {"output": {"ok": true}}"""),
        FAIL("/api/v1/leases/" + LEASE + "/fail", 404, """
                {"error": "boom", "retryable": false}"""),
        REPORTS("/api/v1/reports", 200, """
                {"reports": [{"leaseId": "wf-1.a.1", "outcome": "FAILED", "error": "boom", "retryable": true},
                             {"leaseId": "wf-1.a.2", "outcome": "COMPLETED", "output": [1, "two"]}]}"""),
        CANCEL(WORKFLOWS + "/wf-1/cancel", 404, """
                {"reason": "no longer needed"}"""),
        ADD_PEER("/api/v1/cluster/peers", 200, """
                {"peer": "127.0.0.1:8104"}"""),
        TRANSFER_LEADER("/api/v1/cluster/leader", 202, """
                {"peer": "127.0.0.1:8102"}""");

        final String path;
        final int acceptedStatus;
        final String body;

        Endpoint(String path, int acceptedStatus, String body) {
            this.path = path;
            this.acceptedStatus = acceptedStatus;
            this.body = body;
        }
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                // register: every member of a definition and of a task
                row(Endpoint.REGISTER, "name", "5", STRING),
                row(Endpoint.REGISTER, "version", "\"2\"", INTEGER),
                row(Endpoint.REGISTER, "version", "1.5", INTEGER),
                row(Endpoint.REGISTER, "tasks", "{}", ARRAY),
                row(Endpoint.REGISTER, "tasks[1]", "null", OBJECT),
                row(Endpoint.REGISTER, "tasks[0].id", "5", STRING),
                row(Endpoint.REGISTER, "tasks[0].type", "true", STRING),
                row(Endpoint.REGISTER, "tasks[0].dependsOn", "\"b\"", ARRAY),
                row(Endpoint.REGISTER, "tasks[0].dependsOn[0]", "1", STRING),
                row(Endpoint.REGISTER, "tasks[0].dependsOn[0]", "null", STRING),
                row(Endpoint.REGISTER, "tasks[0].when", "true", STRING),
                row(Endpoint.REGISTER, "tasks[0].trigger", "0", TRIGGER),
                row(Endpoint.REGISTER, "tasks[0].trigger", "\"1\"", TRIGGER),
                row(Endpoint.REGISTER, "tasks[0].retry", "3", OBJECT),
                row(Endpoint.REGISTER, "tasks[0].retry.maxAttempts", "2.5", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].retry.maxAttempts", "2.0", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].retry.maxAttempts", "\"3\"", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].retry.maxAttempts", "true", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].retry.initialBackoffMs", "\"\"", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].retry.multiplier", "\"2\"", NUMBER),
                row(Endpoint.REGISTER, "tasks[0].retry.multiplier", "false", NUMBER),
                row(Endpoint.REGISTER, "tasks[0].retry.maxBackoffMs", "1e3", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].timeoutMs", "\"3\"", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].timeoutMs", "3.7", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].timeoutMs", "true", INTEGER),
                row(Endpoint.REGISTER, "tasks[0].concurrency", "\"k\"", OBJECT),
                row(Endpoint.REGISTER, "tasks[0].concurrency.key", "1", STRING),
                row(Endpoint.REGISTER, "tasks[0].concurrency.max", "\"2\"", INTEGER),
                // submit
                row(Endpoint.SUBMIT, "definition", "5", STRING),
                row(Endpoint.SUBMIT, "idempotencyKey", "7", STRING),
                row(Endpoint.SUBMIT, "tasks", "\"a\"", ARRAY),
                row(Endpoint.SUBMIT, "tasks[0].retry.multiplier", "\"1.5\"", NUMBER),
                row(Endpoint.SUBMIT, "tasks[0].timeoutMs", "2000.5", INTEGER),
                // poll
                row(Endpoint.POLL, "workerId", "1", STRING),
                row(Endpoint.POLL, "taskTypes", "\"t\"", ARRAY),
                row(Endpoint.POLL, "taskTypes[0]", "1", STRING),
                row(Endpoint.POLL, "taskTypes[1]", "null", STRING),
                row(Endpoint.POLL, "maxTasks", "\"1\"", INTEGER),
                row(Endpoint.POLL, "maxTasks", "1.5", INTEGER),
                row(Endpoint.POLL, "waitMs", "true", INTEGER),
                row(Endpoint.POLL, "waitMs", "\"5\"", INTEGER),
                row(Endpoint.POLL, "leaseMs", "30000.5", INTEGER),
                row(Endpoint.POLL, "pollId", "3", STRING),
                // complete and fail
                row(Endpoint.FAIL, "error", "5", STRING),
                row(Endpoint.FAIL, "error", "{}", STRING),
                row(Endpoint.FAIL, "retryable", "1", BOOLEAN),
                row(Endpoint.FAIL, "retryable", "\"true\"", BOOLEAN),
                row(Endpoint.FAIL, "retryable", "\"\"", BOOLEAN),
                // report batch
                row(Endpoint.REPORTS, "reports", "{}", ARRAY),
                row(Endpoint.REPORTS, "reports[0]", "null", OBJECT),
                row(Endpoint.REPORTS, "reports[0].leaseId", "5", STRING),
                row(Endpoint.REPORTS, "reports[0].outcome", "1", OUTCOME),
                row(Endpoint.REPORTS, "reports[0].error", "false", STRING),
                row(Endpoint.REPORTS, "reports[0].retryable", "0", BOOLEAN),
                row(Endpoint.REPORTS, "reports[1].outcome", "\"0\"", OUTCOME),
                // cancel, add peer, transfer leadership
                row(Endpoint.CANCEL, "reason", "false", STRING),
                row(Endpoint.CANCEL, "reason", "1", STRING),
                row(Endpoint.ADD_PEER, "peer", "8104", STRING),
                row(Endpoint.ADD_PEER, "peer", "[\"127.0.0.1:8104\"]", STRING),
                row(Endpoint.TRANSFER_LEADER, "peer", "8102", STRING),
                row(Endpoint.TRANSFER_LEADER, "peer", "true", STRING));
    }

    private static Arguments row(Endpoint endpoint, String field, String wrongValue, String expectedType) {
        return Arguments.of(endpoint, field, wrongValue, expectedType);
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("wrongTypes")
    void shouldRefuseAValueOfTheWrongJsonType(Endpoint endpoint, String field, String wrongValue, String expectedType) {
        // given a body that is accepted as it stands, with one member of the wrong type
        String body = with(endpoint.body, field, wrongValue);

        // when it is sent
        ApiHttp.Response response = send(endpoint, body);

        // then it is refused, naming the member and the JSON type it takes
        JsonNode problem = assertProblem(response, 400, ProblemType.INVALID_REQUEST, field);
        assertThat(problem.get("detail").asString()).as(response.body())
                .isEqualTo("Expected " + expectedType + " at '" + field + "'");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void shouldAcceptEveryBodyAsItStands(Endpoint endpoint) {
        // given the body every row of the table starts from
        // when it is sent unchanged
        ApiHttp.Response response = send(endpoint, endpoint.body);

        // then it is answered as a well-typed request is (a lease or workflow it names may be unknown)
        assertThat(response.status()).as(response.body()).isEqualTo(endpoint.acceptedStatus);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "-1.5", "\"text\"", "true", "[1, {\"a\": null}]", "{\"deep\": {\"x\": [true]}}", "null"})
    void shouldAcceptAnyJsonValueAsInputOrOutput(String value) {
        // given free-form members holding a JSON value of any type
        // when they are sent
        ApiHttp.Response registered = send(Endpoint.REGISTER, with(Endpoint.REGISTER.body, "tasks[0].input", value));
        ApiHttp.Response submitted = send(Endpoint.SUBMIT, with(Endpoint.SUBMIT.body, "input", value));
        ApiHttp.Response completed = send(Endpoint.COMPLETE, with(Endpoint.COMPLETE.body, "output", value));
        ApiHttp.Response reported = send(Endpoint.REPORTS, with(Endpoint.REPORTS.body, "reports[1].output", value));

        // then each is taken as it is
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        assertThat(completed.status()).as(completed.body()).isEqualTo(404);
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void shouldRefuseABodyThatIsNoObject(Endpoint endpoint) {
        for (String body : List.of("[]", "[" + endpoint.body + "]", "\"\"", "5", "true")) {
            // given a body that is JSON but not an object
            // when it is sent
            ApiHttp.Response response = send(endpoint, body);

            // then it is refused as a whole
            JsonNode problem = assertProblem(response, 400, ProblemType.INVALID_REQUEST, null);
            assertThat(problem.get("detail").asString()).as(body).isEqualTo("Expected an object at the body");
            assertThat(problem.has("field")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void shouldTakeANullBodyAsNoBody(Endpoint endpoint) {
        // given the JSON value null as the whole body
        // when it is sent
        ApiHttp.Response response = send(endpoint, "null");

        // then it is a missing body: refused where one is required, accepted where it is optional
        if (List.of(Endpoint.COMPLETE, Endpoint.FAIL, Endpoint.CANCEL, Endpoint.TRANSFER_LEADER).contains(endpoint)) {
            assertThat(response.status()).as(response.body()).isEqualTo(endpoint.acceptedStatus);
        } else {
            assertThat(assertProblem(response, 400, ProblemType.INVALID_REQUEST, null).get("detail").asString())
                    .isEqualTo("A JSON request body is required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/workflows?limit=1.5", "/api/v1/workflows?limit=99999999999",
            "/api/v1/workflows/wf-1?waitMs=1e3", "/api/v1/workflows/wf-1?waitMs=1.5",
            "/api/v1/workflows/wf-1?waitMs=99999999999999999999", "/api/v1/definitions/orders?version=1.5",
            "/api/v1/definitions/orders?version=99999999999", "/api/v1/definitions/orders?version=x"})
    void shouldRefuseAQueryValueThatIsNoInteger(String path) {
        // given a query parameter that takes an integer, with a fraction, a number too large, or a word
        String parameter = path.substring(path.indexOf('?') + 1, path.indexOf('='));

        // when it is sent, then it is refused naming the parameter and what it takes
        JsonNode problem = assertProblem(http.get(path), 400, ProblemType.INVALID_REQUEST, parameter);
        assertThat(problem.get("detail").asString()).startsWith("Expected '" + parameter + "' to be an integer");
    }

    @Test
    void shouldAcceptAnIntegerWhereAFractionalNumberBelongs() {
        // given a multiplier written as a JSON integer (JSON has one number type: 2 is 2.0)
        String body = with(Endpoint.REGISTER.body, "tasks[0].retry.multiplier", "2");

        // when it is registered
        ApiHttp.Response response = send(Endpoint.REGISTER, body);

        // then it is taken as that number
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode multiplier = response.json().get("tasks").get(0).get("retry").get("multiplier");
        assertThat(multiplier.isNumber()).as(response.body()).isTrue();
        assertThat(multiplier.asDouble()).isEqualTo(2.0);
    }

    private ApiHttp.Response send(Endpoint endpoint, String body) {
        return http.post(endpoint.path, body);
    }

    /**
     * {@code json} with the member at {@code path} ({@code tasks[0].retry.maxAttempts}) set to {@code value}, spliced
     * in as written ({@code 1e3} stays {@code 1e3}). The member's parent must exist; an array index one past the end
     * appends.
     */
    private static String with(String json, String path, String value) {
        ObjectNode root = (ObjectNode) FlowRaftJson.mapper().readTree(json);
        List<Object> steps = steps(path);
        JsonNode parent = root;
        for (Object step : steps.subList(0, steps.size() - 1)) {
            parent = step instanceof String name ? parent.get(name) : parent.get((Integer) step);
        }
        if (steps.getLast() instanceof String name) {
            ((ObjectNode) parent).put(name, SPLICE);
        } else if ((Integer) steps.getLast() < parent.size()) {
            ((ArrayNode) parent).set((Integer) steps.getLast(), SPLICE);
        } else {
            ((ArrayNode) parent).add(SPLICE);
        }
        return FlowRaftJson.mapper().writeValueAsString(root).replace("\"" + SPLICE + "\"", value);
    }

    private static List<Object> steps(String path) {
        Matcher matcher = STEP.matcher(path);
        List<Object> steps = new ArrayList<>();
        while (matcher.find()) {
            steps.add(matcher.group(1) != null ? matcher.group(1) : (Object) Integer.parseInt(matcher.group(2)));
        }
        return steps;
    }
}
