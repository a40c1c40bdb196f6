package io.flowraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A registered definition, as answered by {@code POST} and {@code GET /api/v1/definitions}. Immutable once
 * registered.
 *
 * @param name the definition name
 * @param version its version, at least 1
 * @param tasks the DAG exactly as registered (defaults not filled in); never {@code null}
 * @param registeredAt when the registration was committed (the leader's clock)
 */
public record DefinitionView(String name, int version, List<TaskSpec> tasks, Instant registeredAt) {

    public DefinitionView {
        tasks = Copies.orEmpty(tasks);
    }

    /** How workflows started from this version name it: {@code name@version}. */
    public String reference() {
        return new DefinitionRef(name, version).toString();
    }
}
