package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.json.FlowRaftJson;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts between the JSON trees of the wire contract and the compact JSON text the engine stores (inputs,
 * outputs). Writing uses {@link FlowRaftJson#mapper()}, so equal trees give equal text: idempotent submits
 * compare that text.
 */
public final class JsonText {

    /**
     * Reads text the engine already holds. It was accepted within the wire limits, but a rendered input can
     * nest an upstream output one level deeper than the client ever sent, so the nesting limit is looser here:
     * a committed value must always be viewable.
     */
    private static final JsonMapper STORED = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(4 * FlowRaftJson.MAX_NESTING_DEPTH)
                            .maxStringLength(16 * FlowRaftJson.MAX_STRING_LENGTH)
                            .build())
                    .build())
            .build();

    private JsonText() {
    }

    /** Compact JSON text, or {@code null} for an absent value. */
    public static String write(JsonNode node) {
        return node == null ? null : FlowRaftJson.mapper().writeValueAsString(node);
    }

    /** The tree of stored JSON text, or {@code null} for no text. */
    public static JsonNode read(String text) {
        return text == null ? null : STORED.readTree(text);
    }
}
