package io.flowraft.coordinator.engine.expression;

import java.util.List;
import java.util.Map;

/**
 * An immutable JSON value as templates navigate it: objects keep their members in document order and
 * numbers keep their exact text, so a value copied into a rendered input is written back unchanged.
 */
sealed interface Json {

    record Obj(Map<String, Json> members) implements Json {
    }

    record Arr(List<Json> elements) implements Json {
    }

    record Str(String value) implements Json {
    }

    /** A number as written in the source document (already validated by the parser). */
    record Num(String text) implements Json {
    }

    enum Bool implements Json {
        TRUE, FALSE;

        boolean value() {
            return this == TRUE;
        }
    }

    enum Null implements Json {
        INSTANCE
    }
}
