package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.state.EngineReadState;

/**
 * The whole state's budget ({@code maxStateBytes}): new workflows and definitions that would take the state
 * past it are refused with {@link ProblemType#STATE_BUDGET} (429), while work already running goes on and
 * finishes. Judged after the command built what it adds, so the count is exact; the rejection undoes it.
 */
final class StateBudget {

    private StateBudget() {
    }

    /** The rejection when the state is past its budget now, or null. */
    static Rejection check(EngineReadState state) {
        long max = state.limits().maxStateBytes();
        if (state.heldBytes() <= max) {
            return null;
        }
        return Rejection.of(ProblemType.STATE_BUDGET, "The replicated state would hold " + state.heldBytes()
                + " bytes, more than its budget (maxStateBytes " + max + "): new work is refused until running "
                + "workflows finish and are evicted; retry later");
    }
}
