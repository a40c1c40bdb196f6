package io.flowraft.coordinator.api;

import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.Rejection;

/** Reads the engine's answer to a command: the expected reply, or its rejection as a problem. */
final class EngineResults {

    private EngineResults() {
    }

    /**
     * @throws ApiProblemException carrying the engine's problem type, field and message if the command was rejected
     * @throws IllegalStateException if the engine answered a reply of another kind: a bug, answered 500
     */
    static <T extends CommandResult> T expect(CommandResult result, Class<T> expected) {
        if (result instanceof Rejection rejection) {
            throw ApiProblemException.of(rejection);
        }
        if (expected.isInstance(result)) {
            return expected.cast(result);
        }
        throw new IllegalStateException("Expected a " + expected.getSimpleName() + " from the engine, but got " + result);
    }
}
