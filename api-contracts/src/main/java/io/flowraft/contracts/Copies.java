package io.flowraft.contracts;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Normalisation shared by the record constructors. Records are shared with the engine, whose state must not
 * change behind its back, so lists are copied into immutable ones; and "absent", JSON {@code null} and an
 * empty list mean the same thing on the wire, so callers only ever check one of them.
 */
final class Copies {

    private Copies() {
    }

    /**
     * An immutable copy, or an empty list for {@code null}.
     *
     * @throws IllegalArgumentException if an element is {@code null} (JSON {@code [null]}): no list in the
     *     contract has a meaning for a null element, so it is rejected while parsing rather than deep in the engine
     */
    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : copy(list);
    }

    /** Like {@link #orEmpty} but keeps {@code null}, for the few lists whose absence itself means something. */
    static <T> List<T> orNull(List<T> list) {
        return list == null ? null : copy(list);
    }

    private static <T> List<T> copy(List<T> list) {
        // List.copyOf would throw a bare NullPointerException, which reaches the client as a useless message.
        // (Not list.indexOf(null): immutable lists throw on that.)
        int index = 0;
        for (T element : list) {
            if (element == null) {
                throw new IllegalArgumentException(
                        "Expected no null elements in the list, but found null at index " + index);
            }
            index++;
        }
        return List.copyOf(list);
    }

    /**
     * {@code null} for an absent node, JSON {@code null} or a missing node. Jackson reads an explicit
     * {@code "input": null} as a {@code NullNode}, which would otherwise be written back as {@code null}.
     */
    static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
