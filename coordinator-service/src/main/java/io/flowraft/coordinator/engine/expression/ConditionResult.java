package io.flowraft.coordinator.engine.expression;

/**
 * The outcome of evaluating a task's {@code when} condition: {@link True} (run the task), {@link False}
 * (skip it) or {@link Failed} (the condition could not be evaluated; the message says why).
 */
public sealed interface ConditionResult {

    /** The condition holds: the task runs. */
    record True() implements ConditionResult {
    }

    /** The condition does not hold: the task is skipped. */
    record False() implements ConditionResult {
    }

    /**
     * The condition could not be evaluated: it does not compile, a value is missing or of the wrong type,
     * a JSON document is malformed, or the evaluation hit its cost bound.
     */
    record Failed(String message) implements ConditionResult {
    }

    static ConditionResult of(boolean value) {
        return value ? new True() : new False();
    }
}
