package io.flowraft.coordinator.api.error;

import io.flowraft.contracts.ProblemType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a body Jackson could not read into a problem a client can act on. Two kinds:
 * <ul>
 *   <li>the bytes are not acceptable JSON (syntax, duplicate keys, nesting or string length over the limits of
 *       {@code FlowRaftJson}): {@link ProblemType#MALFORMED_JSON}, with Jackson's description and position;</li>
 *   <li>the JSON is fine but a value does not fit its field (a string where a number belongs, a number too
 *       large for it, a null list element): {@link ProblemType#INVALID_REQUEST} naming the field as a path
 *       ({@code tasks[0].retry.maxAttempts}).</li>
 * </ul>
 * Messages name JSON types, never Java classes, and never carry a stack trace.
 */
final class JsonReadProblems {

    /** Jackson quotes offending input; keep details short whatever was sent. */
    private static final int MAX_DETAIL = 400;

    private JsonReadProblems() {
    }

    static ApiError classify(JacksonException e) {
        if (e instanceof DatabindException databind) {
            return ApiError.of(ProblemType.INVALID_REQUEST, emptyToNull(path(databind)), describe(databind));
        }
        if (e instanceof InputCoercionException coercion) {
            // Well-formed JSON, but a number too large for its field (1e30 retries).
            String field = path(coercion);
            return ApiError.of(ProblemType.INVALID_REQUEST, emptyToNull(field), shorten("Number out of range at "
                    + (field.isEmpty() ? "the body" : "'" + field + "'") + ": " + coercion.getOriginalMessage()));
        }
        String message = e.getOriginalMessage() == null ? "unreadable JSON" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            // Drop Jackson's hint at its own configuration method: the client cannot change it.
            message = "The JSON exceeds a limit: " + message.replaceAll(",? ?\\(?,? ?from `[^`]*`\\)?", "");
        }
        return ApiError.of(ProblemType.MALFORMED_JSON, null, shorten(message + at(e.getLocation())));
    }

    private static String describe(DatabindException e) {
        String where = path(e).isEmpty() ? "the body" : "'" + path(e) + "'";
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException invalid) {
            // A contract record's constructor refused the value; its message says what it expected.
            return shorten("Invalid value at " + where + ": " + invalid.getMessage());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return shorten("Expected " + jsonTypeOf(mismatch.getTargetType()) + " at " + where);
        }
        return shorten("Invalid value at " + where);
    }

    /** The field path in the engine's notation: {@code tasks[2].dependsOn[0]}. */
    static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String jsonTypeOf(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String shorten(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
