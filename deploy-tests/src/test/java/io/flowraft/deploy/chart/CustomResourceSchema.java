package io.flowraft.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The custom resources the chart may render (KEDA's ScaledObject, the Prometheus Operator's ServiceMonitor and
 * PrometheusRule), checked against {@code custom-resources.yaml}: the part of each CRD's OpenAPI schema the chart
 * uses, written from the CRDs. Stricter than the CRDs in one way: an object's fields are closed unless the schema
 * says {@code additionalProperties}, so a misspelled field fails here although a cluster would prune it silently.
 *
 * <p>Understood keywords: {@code type} (object, array, string, integer, number, boolean, int-or-string),
 * {@code properties}, {@code additionalProperties} (a schema, or {@code true}), {@code items}, {@code required},
 * {@code enum}.
 */
final class CustomResourceSchema {

    private static final JsonNode SCHEMAS = load();

    private CustomResourceSchema() {
    }

    /** The schema of {@code spec} for this apiVersion and kind, if the chart may render such a resource. */
    static Optional<JsonNode> specSchema(String apiVersion, String kind) {
        return Optional.ofNullable(SCHEMAS.get(apiVersion + "/" + kind));
    }

    /** What in {@code value} the schema does not allow; empty when nothing. */
    static List<String> violations(JsonNode schema, JsonNode value, String path) {
        List<String> violations = new ArrayList<>();
        check(schema, value, path, violations);
        return violations;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> violations) {
        String type = schema.path("type").asText("object");
        if (!hasType(value, type)) {
            violations.add(path + ": expected " + type + ", found " + value.getNodeType().name().toLowerCase() + " "
                    + value);
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            violations.add(path + ": " + value + " is not one of " + schema.get("enum"));
        }
        switch (type) {
            case "object" -> checkObject(schema, value, path, violations);
            case "array" -> {
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", violations);
                }
            }
            default -> {
            }
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> violations) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                violations.add(path + "." + required.asText() + ": required");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, violations);
            } else if (additional.isObject()) {
                check(additional, field.getValue(), fieldPath, violations);
            } else if (!additional.asBoolean(false)) {
                violations.add(fieldPath + ": unknown field");
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "int-or-string" -> value.isTextual() || value.isIntegralNumber();
            default -> throw new IllegalStateException("custom-resources.yaml: unknown type " + type);
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode load() {
        try (InputStream in = CustomResourceSchema.class.getResourceAsStream("custom-resources.yaml")) {
            if (in == null) {
                throw new IllegalStateException("custom-resources.yaml is missing next to " + CustomResourceSchema.class);
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
