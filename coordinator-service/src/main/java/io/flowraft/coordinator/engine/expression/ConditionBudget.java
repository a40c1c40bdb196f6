package io.flowraft.coordinator.engine.expression;

/**
 * What the conditions one command evaluates may cost together, in the cost units of {@link Conditions}. Each
 * evaluation is bounded on its own, but a command may evaluate many (the roots of a 1,000-task workflow, a
 * fan-out after a completion), and at a fraction of a second each that would hold the apply thread for minutes.
 * Each evaluation may spend at most what is left; one stopped because the budget ran out (rather than by its own
 * bound) fails with a message that says so. Deterministic: the same command spends the same on every replica.
 * Not thread-safe; one command's.
 */
public final class ConditionBudget {

    private long remaining;
    private boolean ranOut;

    public ConditionBudget(long units) {
        this.remaining = units;
    }

    /** A budget no command reaches: each evaluation is bounded by its own limit only. */
    public static ConditionBudget unlimited() {
        return new ConditionBudget(Long.MAX_VALUE);
    }

    long remaining() {
        return remaining;
    }

    void spend(long units) {
        remaining = Math.max(0, remaining - units);
    }

    void ranOut() {
        ranOut = true;
    }

    /** Whether some evaluation of this command was stopped because the budget ran out. */
    public boolean exhausted() {
        return ranOut;
    }
}
