package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code POST /api/v1/definitions}. Registering is idempotent: the same name, version and tasks again
 * answer 201 with the existing definition; the same version with other tasks is
 * {@link ProblemType#DEFINITION_CONFLICT}.
 *
 * @param name the definition name, matching {@value DefinitionRef#NAME_PATTERN}; required
 * @param version the version to register, at least 1; {@code null} means one more than the latest (1 if new)
 * @param tasks the DAG, at least one task; absent or {@code null} means empty (and is rejected as invalid)
 */
public record RegisterDefinitionRequest(String name, Integer version, List<TaskSpec> tasks) {

    public RegisterDefinitionRequest {
        tasks = Copies.orEmpty(tasks);
    }
}
