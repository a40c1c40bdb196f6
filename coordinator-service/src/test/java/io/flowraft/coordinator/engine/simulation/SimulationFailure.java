package io.flowraft.coordinator.engine.simulation;

import java.util.List;

/**
 * A simulation run broke an invariant (or the engine threw).
 *
 * @see Simulator#run()
 */
final class SimulationFailure extends AssertionError {

    private final String invariant;
    private final int actionIndex;
    private final String detail;
    private final List<String> trace;

    /**
     * @param actionIndex the scenario action during which it failed, or -1 during the drain
     * @param trace       the last steps before the failure, oldest first
     */
    SimulationFailure(String invariant, int actionIndex, String detail, List<String> trace, Throwable cause) {
        super(detail, cause);
        this.invariant = invariant;
        this.actionIndex = actionIndex;
        this.detail = detail;
        this.trace = List.copyOf(trace);
    }

    String invariant() {
        return invariant;
    }

    int actionIndex() {
        return actionIndex;
    }

    String detail() {
        return detail;
    }

    List<String> trace() {
        return trace;
    }
}
