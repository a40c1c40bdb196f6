package io.flowraft.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.json.FlowRaftJson;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WireRoundTripTest {

    private static final JsonMapper JSON = FlowRaftJson.mapper();

    static Stream<Record> samples() {
        return Samples.all().stream();
    }

    static Stream<Class<?>> wireRecords() {
        return Samples.wireRecordClasses().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldReadBackAnEqualRecord(Record sample) {
        // given a fully populated record
        // when it is written and read back
        String json = JSON.writeValueAsString(sample);
        Record read = JSON.readValue(json, sample.getClass());

        // then it equals the original (JsonNode fields compare by content)
        assertThat(read).isEqualTo(sample);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldWriteExactlyTheRecordComponentsInDeclarationOrder(Record sample) {
        // given a fully populated record
        // when it is written
        JsonNode written = JSON.readTree(JSON.writeValueAsString(sample));

        // then its members are its components, named as in Java, in declaration order, and nothing else
        // (a helper method such as effectiveRetry() must not leak onto the wire)
        assertThat(written.propertyNames()).containsExactlyElementsOf(Samples.componentNames(sample.getClass()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldPopulateEveryComponentInTheSamples(Record sample) throws ReflectiveOperationException {
        // given a sample used by the round-trip tests
        // when its components are inspected
        // then none is null or empty, so the round trip really covers every field
        for (RecordComponent component : sample.getClass().getRecordComponents()) {
            Object value = component.getAccessor().invoke(sample);
            assertThat(value).as("%s.%s", sample.getClass().getSimpleName(), component.getName()).isNotNull();
            if (value instanceof Collection<?> collection) {
                assertThat(collection).as("%s.%s", sample.getClass().getSimpleName(), component.getName())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void shouldHaveASampleForEveryWireRecord() {
        // given every public record of the contract package
        List<Class<?>> records = Samples.wireRecordClasses();

        // when compared with the samples
        List<Class<?>> sampled = Samples.all().stream().<Class<?>>map(Object::getClass).toList();

        // then each has one, so a new record cannot skip the round-trip tests
        assertThat(records).hasSizeGreaterThan(20);
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(records);
    }

    @Test
    void shouldWriteALeaseWithTheMembersOfTheRestContract() {
        // given a lease as the poll endpoint answers it
        Lease lease = new Lease("4711", "w-17", "charge", "payment", 2, Samples.json("{\"amount\":12.5}"),
                "w-17/charge", Samples.LATER);

        // when it is written
        String json = JSON.writeValueAsString(lease);

        // then it has exactly the shape DESIGN.md section 5 gives the poll answer
        assertThat(json).isEqualTo("{\"leaseId\":\"4711\",\"workflowId\":\"w-17\",\"taskId\":\"charge\","
                + "\"type\":\"payment\",\"attempt\":2,\"input\":{\"amount\":12.5},\"idempotencyKey\":\"w-17/charge\","
                + "\"leaseExpiresAt\":\"2025-01-31T12:00:05.123456789Z\"}");
    }

    @ParameterizedTest
    @MethodSource("wireRecords")
    void shouldAcceptAnExplicitNullForEveryComponent(Class<?> recordType) {
        // given a body that sets every component to null
        StringBuilder body = new StringBuilder("{");
        for (String name : Samples.componentNames(recordType)) {
            body.append(body.length() > 1 ? "," : "").append('"').append(name).append("\":null");
        }
        String allNull = body.append('}').toString();

        // when it is read
        Object read = JSON.readValue(allNull, recordType);

        // then it means the same as an empty body
        assertThat(read).isEqualTo(JSON.readValue("{}", recordType));
    }

    @ParameterizedTest
    @MethodSource("wireRecords")
    void shouldWriteNothingButPrimitivesAndEmptyListsForAnEmptyRecord(Class<?> recordType) {
        // given a record read from an empty body, so every optional field is null
        Object empty = JSON.readValue("{}", recordType);

        // when it is written
        JsonNode written = JSON.readTree(JSON.writeValueAsString(empty));

        // then no member is null: absent fields are omitted, only primitives and never-null lists remain
        for (String name : written.propertyNames()) {
            JsonNode value = written.get(name);
            assertThat(value.isNumber() || value.isBoolean() || (value.isArray() && value.isEmpty()))
                    .as("%s.%s = %s", recordType.getSimpleName(), name, value)
                    .isTrue();
        }
    }
}
