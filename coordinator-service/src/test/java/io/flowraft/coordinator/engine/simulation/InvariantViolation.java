package io.flowraft.coordinator.engine.simulation;

/** One invariant did not hold. {@link #invariant()} names it, so shrinking can keep to the same failure. */
final class InvariantViolation extends AssertionError {

    private final String invariant;

    InvariantViolation(String invariant, String message) {
        super("[" + invariant + "] " + message);
        this.invariant = invariant;
    }

    String invariant() {
        return invariant;
    }
}
