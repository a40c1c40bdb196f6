package io.flowraft.contracts.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.Nulls;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The one JSON mapping of the wire contract. Coordinator, workers, CLI and tests all use {@link #mapper()}, so a
 * body means the same thing everywhere. The settings, and why:
 * <ul>
 *   <li>Instants are ISO-8601 strings ({@code "2025-01-31T12:00:00Z"}), not numbers: readable, and unambiguous
 *       about the unit.</li>
 *   <li>{@code null} fields are left out of output: optional fields cost nothing and a missing field reads back
 *       as {@code null}.</li>
 *   <li>Unknown properties are ignored, so an older client can read a newer server's answers.</li>
 *   <li>A missing or {@code null} primitive ({@code int attempt}, {@code boolean duplicate}) reads as 0 or
 *       {@code false}, as in Jackson 2, rather than failing the whole body (Jackson 3's default). Only response
 *       records have primitives, and the server always writes them.</li>
 *   <li>Duplicate keys are rejected: {@code {"taskId":"a","taskId":"b"}} would otherwise mean whichever the
 *       parser kept, possibly not what a proxy or validator in front of us saw.</li>
 *   <li>Nesting and string length are bounded ({@link #MAX_NESTING_DEPTH}, {@link #MAX_STRING_LENGTH}) well below
 *       Jackson's defaults, because inputs and outputs are replicated to every coordinator and held in memory.</li>
 *   <li>Trailing content after the value is rejected: a body is exactly one JSON value.</li>
 *   <li>{@code null} inside a list or map of the contract ({@code "dependsOn": ["a", null]}) is rejected where
 *       it is read, so the failure names its path ({@code tasks[0].dependsOn[1]}); no list of the contract has
 *       a meaning for it. Nulls inside {@code JsonNode} payloads are data and stay.</li>
 *   <li>A value is read only from its own JSON type: Jackson's coercions are off. No string for a number or a
 *       boolean ({@code "timeoutMs": "3"}, {@code "retryable": "true"}, nor {@code ""} for absent), no number or
 *       boolean for a string ({@code "id": 5}), no fraction for an integer ({@code "maxAttempts": 2.5} would
 *       silently be 2; {@code 2.0} and {@code 1e3} are refused alike), no number for a boolean ({@code 1}) or
 *       an enum ({@code "trigger": 0} or {@code "0"} would pick a constant by its position), no single value
 *       for a list ({@code "dependsOn": "b"}). The body then fails naming the field, so a client learns of its
 *       mistake instead of the engine acting on a guess. An integer where a fractional number belongs
 *       ({@code "multiplier": 2}) is no coercion (JSON has one number type) and is read as that number;
 *       {@code JsonNode} members ({@code input}, {@code output}) take any JSON value as it is. Workers read a
 *       task's input into their handler's type with this mapper as well, so a handler gets the same
 *       guarantee: an input of the wrong type fails the task with the field named, rather than running it on
 *       a truncated or guessed value.</li>
 * </ul>
 * Enums are read and written by their {@code name()}, never their position; an unknown name is rejected rather than defaulted, so a
 * typo in {@code trigger} cannot silently become the default rule. Members are written in record component
 * order (Jackson writes a record's constructor properties first, in parameter order, even though Jackson 3
 * otherwise sorts alphabetically).
 */
public final class FlowRaftJson {

    /**
     * The deepest nesting of objects and arrays accepted in one document, counting the body's own levels: a task
     * input inside a {@code RegisterDefinitionRequest} starts at depth 4. Jackson's default is 500.
     */
    public static final int MAX_NESTING_DEPTH = 64;

    /** The longest string value accepted, in characters (1 MiB). Jackson's default is 100,000,000. */
    public static final int MAX_STRING_LENGTH = 1024 * 1024;

    private static final JsonMapper MAPPER = builder().build();

    private FlowRaftJson() {
    }

    /** The shared mapper. Immutable and thread-safe. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * A builder with every wire setting applied, for callers that need a variant (pretty printing in the CLI).
     * Changing any of the settings above makes a mapper that no longer speaks the contract.
     */
    public static JsonMapper.Builder builder() {
        // Read limits belong to the token stream factory in Jackson 3, not to the mapper builder.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .build())
                .build();
        // Jackson 3 already defaults several of these; stating them keeps the contract independent of defaults.
        return JsonMapper.builder(factory)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .changeDefaultNullHandling(nulls -> nulls.withContentNulls(Nulls.FAIL))
                // Refuses a string as a number or boolean, a number as a boolean, and "" as absent.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Jackson consults these two before the feature above, for a fraction and for an enum.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                // A string is no scalar to Jackson, so ALLOW_COERCION_OF_SCALARS leaves a number as a string alone.
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
