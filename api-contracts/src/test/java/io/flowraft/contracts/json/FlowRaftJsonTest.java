package io.flowraft.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.contracts.CompleteTaskRequest;
import io.flowraft.contracts.FailTaskRequest;
import io.flowraft.contracts.HeartbeatResponse;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.TriggerRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

class FlowRaftJsonTest {

    private static final JsonMapper JSON = FlowRaftJson.mapper();

    @Test
    void shouldIgnoreUnknownFields() {
        // given a body from a newer client with members this version does not know, top level and nested
        String body = """
                {"id":"charge","type":"payment","priority":7,"retry":{"maxAttempts":2,"jitter":0.1}}""";

        // when it is read
        TaskSpec spec = JSON.readValue(body, TaskSpec.class);

        // then the known members are read and the unknown ones dropped
        assertThat(spec.id()).isEqualTo("charge");
        assertThat(spec.retry()).isEqualTo(new RetryPolicy(2, null, null, null));
    }

    @Test
    void shouldOmitNullFieldsOnOutput() {
        // given a policy that states only one field
        RetryPolicy policy = new RetryPolicy(3, null, null, null);

        // when it is written
        String json = JSON.writeValueAsString(policy);

        // then only that field appears
        assertThat(json).isEqualTo("{\"maxAttempts\":3}");
    }

    @Test
    void shouldTreatJsonNullInAPayloadFieldAsAbsent() {
        // given a completion whose output is an explicit JSON null
        // when it is read
        CompleteTaskRequest read = JSON.readValue("{\"output\":null}", CompleteTaskRequest.class);

        // then the output is absent, not a NullNode, and is omitted when written again
        assertThat(read.output()).isNull();
        assertThat(JSON.writeValueAsString(read)).isEqualTo("{}");
    }

    @Test
    void shouldKeepNullsInsideAPayload() {
        // given an output whose own members include null
        // when it is read and written
        CompleteTaskRequest read = JSON.readValue("{\"output\":{\"a\":null,\"b\":[null]}}", CompleteTaskRequest.class);

        // then the payload is kept as sent: NON_NULL applies to our fields, not to user data
        assertThat(JSON.writeValueAsString(read)).isEqualTo("{\"output\":{\"a\":null,\"b\":[null]}}");
    }

    @Test
    void shouldTreatAbsentListsAsEmptyExceptInlineTasks() {
        // given bodies without any list
        // when they are read
        TaskSpec spec = JSON.readValue("{\"id\":\"a\"}", TaskSpec.class);
        RegisterDefinitionRequest definition = JSON.readValue("{\"name\":\"orders\"}", RegisterDefinitionRequest.class);
        SubmitWorkflowRequest submit = JSON.readValue("{\"definition\":\"orders\"}", SubmitWorkflowRequest.class);

        // then lists are empty, but a submit keeps "no inline tasks" apart from "empty inline tasks"
        assertThat(spec.dependsOn()).isEmpty();
        assertThat(definition.tasks()).isEmpty();
        assertThat(submit.tasks()).isNull();
        assertThat(JSON.readValue("{\"tasks\":[]}", SubmitWorkflowRequest.class).tasks()).isEmpty();
    }

    @Test
    void shouldRejectNullListElements() {
        // given a dependency list with a null in it
        String body = "{\"id\":\"a\",\"dependsOn\":[\"b\",null]}";

        // when it is read, then it is rejected where it stands, so the failure can name its path
        assertThatThrownBy(() -> JSON.readValue(body, TaskSpec.class))
                .isInstanceOfSatisfying(InvalidNullException.class, e -> assertThat(e.getPath())
                        .extracting(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : ref.getIndex())
                        .containsExactly("dependsOn", 1));
    }

    @Test
    void shouldCopyListsIntoImmutableOnes() {
        // given a mutable list handed to a record
        List<String> dependsOn = new ArrayList<>(List.of("a"));
        TaskSpec spec = new TaskSpec("b", "t", dependsOn, null, null, null, null, null, null);

        // when the caller changes its list afterwards
        dependsOn.add("c");

        // then the record is unaffected and cannot be changed through its accessor
        assertThat(spec.dependsOn()).containsExactly("a");
        assertThatThrownBy(() -> spec.dependsOn().add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldReadAbsentPrimitivesAsZero() {
        // given a response body from which a primitive member is missing or null
        // when it is read
        ReportResponse missing = JSON.readValue("{\"leaseId\":\"l\"}", ReportResponse.class);
        TaskView nulled = JSON.readValue("{\"id\":\"a\",\"attempt\":null}", TaskView.class);

        // then it reads as the primitive's zero instead of failing the whole body
        assertThat(missing.duplicate()).isFalse();
        assertThat(nulled.attempt()).isZero();
    }

    @Test
    void shouldWriteEnumsByName() {
        // given records holding enums
        TaskView view = new TaskView("a", "t", TaskStatus.LEASED, 1, null, null, null, null, null, null, null,
                null, null);
        TaskSpec spec = new TaskSpec("a", "t", null, null, null, TriggerRule.NONE_FAILED, null, null, null);

        // when they are written
        JsonNode viewJson = JSON.valueToTree(view);
        JsonNode specJson = JSON.valueToTree(spec);

        // then each enum is its name
        assertThat(viewJson.get("status").stringValue()).isEqualTo("LEASED");
        assertThat(specJson.get("trigger").stringValue()).isEqualTo("NONE_FAILED");
    }

    @Test
    void shouldReadEnumsByName() {
        // given a body naming a trigger rule
        // when it is read
        TaskSpec spec = JSON.readValue("{\"id\":\"a\",\"trigger\":\"ONE_SUCCESS\"}", TaskSpec.class);

        // then the rule is that constant
        assertThat(spec.trigger()).isEqualTo(TriggerRule.ONE_SUCCESS);
    }

    @Test
    void shouldRejectUnknownEnumNames() {
        // given trigger rules that are not constant names (a typo, a different case)
        // when they are read, then they are rejected rather than silently becoming the default rule
        assertThatThrownBy(() -> JSON.readValue("{\"trigger\":\"ALL_SUCCES\"}", TaskSpec.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThatThrownBy(() -> JSON.readValue("{\"trigger\":\"all_success\"}", TaskSpec.class))
                .isInstanceOf(InvalidFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // a number, boolean or fraction where a string belongs
            "{\"id\":5}", "{\"type\":true}", "{\"when\":1.5}", "{\"dependsOn\":[1]}",
            // a string, boolean or fraction where an integer belongs
            "{\"timeoutMs\":\"3\"}", "{\"timeoutMs\":\"\"}", "{\"timeoutMs\":true}", "{\"timeoutMs\":3.7}",
            "{\"retry\":{\"maxAttempts\":2.5}}", "{\"retry\":{\"maxAttempts\":2.0}}", "{\"retry\":{\"maxBackoffMs\":1e3}}",
            // a string where a fractional number belongs
            "{\"retry\":{\"multiplier\":\"2\"}}",
            // a number or numeric string where an enum belongs
            "{\"trigger\":0}", "{\"trigger\":\"1\"}",
            // a single value where a list belongs, a scalar where an object belongs
            "{\"dependsOn\":\"b\"}", "{\"retry\":3}", "{\"concurrency\":\"k\"}"})
    void shouldRefuseToCoerceTaskSpecValues(String body) {
        // given a task whose member has a JSON type other than its field's
        // when it is read, then it is refused instead of converted
        assertThatThrownBy(() -> JSON.readValue(body, TaskSpec.class)).isInstanceOf(MismatchedInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"retryable\":1}", "{\"retryable\":\"true\"}", "{\"retryable\":\"\"}", "{\"error\":5}"})
    void shouldRefuseToCoerceBooleansAndStrings(String body) {
        // given a failure report whose flag or message has the wrong JSON type
        // when it is read, then it is refused instead of converted
        assertThatThrownBy(() -> JSON.readValue(body, FailTaskRequest.class)).isInstanceOf(MismatchedInputException.class);
    }

    @Test
    void shouldReadAnIntegerWhereAFractionalNumberBelongs() {
        // given a multiplier written as a JSON integer
        // when it is read
        TaskSpec spec = JSON.readValue("{\"retry\":{\"multiplier\":2}}", TaskSpec.class);

        // then it is that number: JSON has one number type, so this is no coercion
        assertThat(spec.retry().multiplier()).isEqualTo(2.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "2.5", "\"5\"", "true", "[1, \"a\"]", "{\"n\": \"1\"}"})
    void shouldTakeAnyJsonValueAsAPayload(String value) {
        // given a task input of any JSON type
        // when it is read
        TaskSpec spec = JSON.readValue("{\"id\":\"a\",\"input\":" + value + "}", TaskSpec.class);

        // then it is kept exactly as sent
        assertThat(spec.input()).isEqualTo(JSON.readTree(value));
    }

    @Test
    void shouldWriteInstantsAsIsoStrings() {
        // given an instant with nanoseconds
        HeartbeatResponse response = new HeartbeatResponse("l", Instant.parse("2025-01-31T12:00:05.123456789Z"));

        // when it is written
        JsonNode written = JSON.valueToTree(response);

        // then it is an ISO-8601 string in UTC, not a number
        assertThat(written.get("leaseExpiresAt").isString()).isTrue();
        assertThat(written.get("leaseExpiresAt").stringValue()).isEqualTo("2025-01-31T12:00:05.123456789Z");
    }

    @Test
    void shouldReadIsoInstants() {
        // given an ISO-8601 instant
        // when it is read
        HeartbeatResponse read = JSON.readValue("{\"leaseExpiresAt\":\"2025-01-31T12:00:00Z\"}",
                HeartbeatResponse.class);

        // then it is that instant
        assertThat(read.leaseExpiresAt()).isEqualTo(Instant.parse("2025-01-31T12:00:00Z"));
    }

    @Test
    void shouldRejectDuplicateKeys() {
        // given bodies repeating a key, at the top level and inside a payload
        String topLevel = "{\"error\":\"a\",\"error\":\"b\"}";
        String nested = "{\"output\":{\"amount\":1,\"amount\":1000}}";

        // when they are read, then both are rejected
        assertThatThrownBy(() -> JSON.readValue(topLevel, FailTaskRequest.class))
                .isInstanceOf(StreamReadException.class)
                .hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> JSON.readValue(nested, CompleteTaskRequest.class))
                .isInstanceOf(StreamReadException.class)
                .hasMessageContaining("Duplicate");
    }

    @Test
    void shouldAcceptNestingUpToTheLimit() {
        // given a document nested exactly as deep as allowed
        String body = nested(FlowRaftJson.MAX_NESTING_DEPTH);

        // when it is read
        JsonNode read = JSON.readTree(body);

        // then it is accepted
        assertThat(read.isArray()).isTrue();
    }

    @Test
    void shouldRejectNestingDeeperThanTheLimit() {
        // given a document one level deeper than allowed, and a task input that reaches it inside a body
        String tooDeep = nested(FlowRaftJson.MAX_NESTING_DEPTH + 1);
        String inBody = "{\"id\":\"a\",\"input\":" + nested(FlowRaftJson.MAX_NESTING_DEPTH) + "}";

        // when they are read, then both are rejected
        assertThatThrownBy(() -> JSON.readTree(tooDeep)).isInstanceOf(StreamConstraintsException.class);
        assertThatThrownBy(() -> JSON.readValue(inBody, TaskSpec.class))
                .isInstanceOf(StreamConstraintsException.class);
    }

    @Test
    void shouldRejectStringsLongerThanTheLimit() {
        // given strings at and just over the limit
        String atLimit = "{\"error\":\"" + "x".repeat(FlowRaftJson.MAX_STRING_LENGTH) + "\"}";
        String overLimit = "{\"error\":\"" + "x".repeat(FlowRaftJson.MAX_STRING_LENGTH + 1) + "\"}";

        // when they are read, then the first is accepted and the second rejected
        assertThat(JSON.readValue(atLimit, FailTaskRequest.class).error())
                .hasSize(FlowRaftJson.MAX_STRING_LENGTH);
        assertThatThrownBy(() -> JSON.readValue(overLimit, FailTaskRequest.class))
                .isInstanceOf(StreamConstraintsException.class);
    }

    @Test
    void shouldRejectTrailingContent() {
        // given a body with a second value after the first
        String body = "{\"error\":\"a\"} {\"error\":\"b\"}";

        // when it is read, then it is rejected rather than the second value silently dropped
        assertThatThrownBy(() -> JSON.readValue(body, FailTaskRequest.class))
                .isInstanceOf(DatabindException.class);
    }

    @Test
    void shouldShareOneMapper() {
        // given / when the mapper is asked for twice
        // then it is the same instance, so every caller gets the same settings
        assertThat(FlowRaftJson.mapper()).isSameAs(FlowRaftJson.mapper());
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
