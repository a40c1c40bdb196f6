package io.flowraft.deploy.chart;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a document against the Kubernetes API types by a strict typed round trip: the typed fabric8 object it was
 * read into (whose generated classes follow the API's OpenAPI schemas field by field) must hold nothing in
 * {@code additionalProperties} anywhere, which is where fabric8 puts a field the API does not know
 * ({@code imagePullPolicyy}); and every scalar of the document must have the JSON type of its field, which
 * fabric8's lenient reading would otherwise coerce: a number where the API wants a string ({@code value: 8081} in
 * an env var, an annotation {@code 1}), a string where it wants a number or a boolean. The API server rejects both.
 */
final class TypedModelCheck {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private TypedModelCheck() {
    }

    /** What is wrong with {@code typed} as read from {@code raw}; empty when nothing. Paths are JSON paths. */
    static List<String> violations(Object typed, JsonNode raw) {
        List<String> violations = new ArrayList<>();
        walk(typed, raw, "", violations);
        return violations;
    }

    private static void walk(Object typed, JsonNode raw, String path, List<String> violations) {
        if (typed == null || !isModel(typed.getClass()) || typed instanceof Quantity || typed instanceof IntOrString) {
            return;
        }
        for (String unknown : additionalProperties(typed)) {
            violations.add(path + "." + unknown + ": unknown field of " + typed.getClass().getSimpleName());
        }
        for (Class<?> type = typed.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                if (property == null || Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String name = property.value();
                JsonNode rawValue = raw == null ? null : raw.get(name);
                if (rawValue == null || rawValue.isNull()) {
                    continue;
                }
                value(read(field, typed), field.getGenericType(), rawValue, path + "." + name, violations);
            }
        }
    }

    private static void value(Object typed, Type type, JsonNode raw, String path, List<String> violations) {
        Class<?> erased = erasure(type);
        if (erased == String.class) {
            expect(raw.isTextual(), "a string", raw, path, violations);
        } else if (erased == Integer.class || erased == Long.class || erased == int.class || erased == long.class) {
            expect(raw.isIntegralNumber(), "an integer", raw, path, violations);
        } else if (erased == Boolean.class || erased == boolean.class) {
            expect(raw.isBoolean(), "a boolean", raw, path, violations);
        } else if (erased == Double.class || erased == double.class) {
            expect(raw.isNumber(), "a number", raw, path, violations);
        } else if (erased == Quantity.class || erased == IntOrString.class) {
            expect(raw.isTextual() || raw.isIntegralNumber() || raw.isFloatingPointNumber(), "a string or a number",
                    raw, path, violations);
        } else if (List.class.isAssignableFrom(erased)) {
            if (expect(raw.isArray(), "a list", raw, path, violations) && typed instanceof List<?> list) {
                Type element = typeArgument(type, 0);
                for (int i = 0; i < list.size() && i < raw.size(); i++) {
                    value(list.get(i), element, raw.get(i), path + "[" + i + "]", violations);
                }
            }
        } else if (Map.class.isAssignableFrom(erased)) {
            if (expect(raw.isObject(), "a map", raw, path, violations) && typed instanceof Map<?, ?> map) {
                Type element = typeArgument(type, 1);
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    JsonNode rawValue = raw.get(String.valueOf(entry.getKey()));
                    if (rawValue != null && !rawValue.isNull()) {
                        value(entry.getValue(), element, rawValue, path + "." + entry.getKey(), violations);
                    }
                }
            }
        } else if (isModel(erased)) {
            if (expect(raw.isObject(), "an object", raw, path, violations)) {
                walk(typed, raw, path, violations);
            }
        }
    }

    private static boolean expect(boolean holds, String expected, JsonNode raw, String path, List<String> violations) {
        if (!holds) {
            violations.add(path + ": expected " + expected + ", found " + raw.getNodeType().name().toLowerCase()
                    + " " + raw);
        }
        return holds;
    }

    @SuppressWarnings("unchecked")
    private static List<String> additionalProperties(Object typed) {
        try {
            Method getter = typed.getClass().getMethod("getAdditionalProperties");
            Object properties = getter.invoke(typed);
            return properties instanceof Map<?, ?> map ? map.keySet().stream().map(String::valueOf).sorted().toList()
                    : List.of();
        } catch (NoSuchMethodException e) {
            return List.of();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isModel(Class<?> type) {
        return type.getName().startsWith(MODEL_PACKAGE);
    }

    private static Class<?> erasure(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return erasure(p.getRawType());
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index] : Object.class;
    }
}
