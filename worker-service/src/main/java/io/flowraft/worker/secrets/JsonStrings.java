package io.flowraft.worker.secrets;

import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** Rewrites the strings of a JSON tree, sharing every subtree that does not change. */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * @param strings applied to string values
     * @param names   applied to member names
     * @param scalars applied to numbers and booleans
     * @return the rewritten tree, or {@code json} itself when nothing changed
     */
    static JsonNode map(JsonNode json, UnaryOperator<String> strings, UnaryOperator<String> names,
            UnaryOperator<JsonNode> scalars) {
        if (json.isString()) {
            String text = json.asString();
            String mapped = strings.apply(text);
            return mapped.equals(text) ? json : StringNode.valueOf(mapped);
        }
        if (json.isNumber() || json.isBoolean()) {
            return scalars.apply(json);
        }
        if (json.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(json.size());
            boolean changed = false;
            for (JsonNode element : json) {
                JsonNode mapped = map(element, strings, names, scalars);
                changed |= mapped != element;
                copy.add(mapped);
            }
            return changed ? copy : json;
        }
        if (json.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            boolean changed = false;
            for (Map.Entry<String, JsonNode> member : json.properties()) {
                String name = names.apply(member.getKey());
                JsonNode mapped = map(member.getValue(), strings, names, scalars);
                changed |= mapped != member.getValue() || !name.equals(member.getKey());
                copy.set(name, mapped);
            }
            return changed ? copy : json;
        }
        return json;
    }
}
