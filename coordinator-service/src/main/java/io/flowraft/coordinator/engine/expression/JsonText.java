package io.flowraft.coordinator.engine.expression;

import dev.cel.common.values.NullValue;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads and writes the JSON text that workflow values travel as, for this package only.
 *
 * <p>The factory is configured here, once, with explicit limits instead of Jackson's process-wide defaults
 * (which any library may override with {@code StreamReadConstraints.overrideDefaultStreamReadConstraints}):
 * a replica must accept or reject exactly the same documents as every other replica. Duplicate object keys
 * are rejected rather than resolved "last one wins", and a document must hold exactly one value.
 */
final class JsonText {

    /** Deepest nesting of arrays and objects accepted; Jackson 3's own default, pinned. */
    static final int MAX_NESTING_DEPTH = 500;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(1000)
                    .maxStringLength(100_000_000)
                    .maxNameLength(50_000)
                    .build())
            .build();

    private JsonText() {
    }

    /** Thrown for malformed JSON; its message says what is wrong and where (line and column). */
    static final class MalformedJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(message, null, false, false);
        }
    }

    static JsonParser parser(String text) {
        return FACTORY.createParser(ObjectReadContext.empty(), text);
    }

    static JsonGenerator generator(Writer out) {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /** Describes a Jackson read failure as "what, at line L, column C" without Jackson's source dump. */
    static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        int marker = message == null ? -1 : message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0
                ? message
                : message + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** Fails unless the parser, positioned after the root value, has nothing more to read. */
    static void expectEnd(JsonParser parser) {
        if (parser.nextToken() != null) {
            TokenStreamLocation at = parser.currentTokenLocation();
            throw new MalformedJsonException("unexpected content after the JSON value at line "
                    + at.getLineNr() + ", column " + at.getColumnNr());
        }
    }

    // ---- JSON text to CEL values -------------------------------------------------------------------

    /**
     * Converts JSON text to the values CEL evaluates: objects become unmodifiable maps in document order,
     * arrays lists, integers that fit in 64 bits {@code Long} (CEL {@code int}), other numbers {@code Double}
     * (CEL {@code double}), strings, booleans, and {@code null} CEL's null. A null text is CEL's null.
     *
     * @throws MalformedJsonException if the text is not exactly one well-formed JSON value
     */
    static Object toCel(String text) {
        if (text == null) {
            return NullValue.NULL_VALUE;
        }
        try (JsonParser parser = parser(text)) {
            if (parser.nextToken() == null) {
                throw new MalformedJsonException("no JSON value (empty text)");
            }
            Object value = readCel(parser);
            expectEnd(parser);
            return value;
        } catch (JacksonException e) {
            throw new MalformedJsonException(describe(e));
        }
    }

    private static Object readCel(JsonParser parser) {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    members.put(name, readCel(parser));
                }
                return Collections.unmodifiableMap(members);
            }
            case START_ARRAY -> {
                List<Object> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readCel(parser));
                }
                return Collections.unmodifiableList(elements);
            }
            case VALUE_STRING -> {
                return parser.getString();
            }
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType type = parser.getNumberType();
                return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
                        ? (Object) parser.getLongValue()
                        : (Object) parser.getDoubleValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return NullValue.NULL_VALUE;
            }
            default -> throw new MalformedJsonException("unexpected token " + token);
        }
    }

    // ---- JSON text to a navigable tree --------------------------------------------------------------

    /**
     * Parses JSON text into a {@link Json} tree that keeps member order and the exact text of numbers.
     *
     * @throws MalformedJsonException if the text is not exactly one well-formed JSON value
     */
    static Json toTree(String text) {
        try (JsonParser parser = parser(text)) {
            if (parser.nextToken() == null) {
                throw new MalformedJsonException("no JSON value (empty text)");
            }
            Json value = readTree(parser);
            expectEnd(parser);
            return value;
        } catch (JacksonException e) {
            throw new MalformedJsonException(describe(e));
        }
    }

    private static Json readTree(JsonParser parser) {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Json> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    members.put(name, readTree(parser));
                }
                return new Json.Obj(Collections.unmodifiableMap(members));
            }
            case START_ARRAY -> {
                List<Json> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readTree(parser));
                }
                return new Json.Arr(Collections.unmodifiableList(elements));
            }
            case VALUE_STRING -> {
                return new Json.Str(parser.getString());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Json.Num(parser.getString());
            }
            case VALUE_TRUE -> {
                return Json.Bool.TRUE;
            }
            case VALUE_FALSE -> {
                return Json.Bool.FALSE;
            }
            case VALUE_NULL -> {
                return Json.Null.INSTANCE;
            }
            default -> throw new MalformedJsonException("unexpected token " + token);
        }
    }

    /** Writes a tree as compact JSON; numbers keep their original text. */
    static void write(Json value, JsonGenerator out) {
        write(value, out, UnaryOperator.identity());
    }

    /** As {@link #write(Json, JsonGenerator)}, writing every string value (not member names) through {@code strings}. */
    static void write(Json value, JsonGenerator out, UnaryOperator<String> strings) {
        switch (value) {
            case Json.Obj obj -> {
                out.writeStartObject();
                for (Map.Entry<String, Json> member : obj.members().entrySet()) {
                    out.writeName(member.getKey());
                    write(member.getValue(), out, strings);
                }
                out.writeEndObject();
            }
            case Json.Arr arr -> {
                out.writeStartArray();
                for (Json element : arr.elements()) {
                    write(element, out, strings);
                }
                out.writeEndArray();
            }
            case Json.Str str -> out.writeString(strings.apply(str.value()));
            case Json.Num num -> out.writeNumber(num.text());
            case Json.Bool bool -> out.writeBoolean(bool.value());
            case Json.Null ignored -> out.writeNull();
        }
    }

    /** The compact JSON text of a tree. */
    static String toText(Json value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = generator(out)) {
            write(value, generator);
        }
        return out.toString();
    }
}
