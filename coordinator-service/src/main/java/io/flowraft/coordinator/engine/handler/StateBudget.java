package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.state.EngineReadState;

/**
 * The whole state's budget ({@code maxStateBytes}): new workflows and definitions that would take the state
 * past it are refused with {@link ProblemType#STATE_BUDGET} (429), while work already running goes on and
 * finishes. Judged after the command built what it adds, so the count is exact; the rejection undoes it. When
 * finished workflows whose retention has passed are held only because their history is not exported yet
 * (PostgreSQL down or slow), the refusal says so: {@link ProblemType#HISTORY_BACKLOG}.
 */
final class StateBudget {

    private StateBudget() {
    }

    /** The rejection when the state is past its budget now, or null. */
    static Rejection check(EngineReadState state, long now) {
        long max = state.limits().maxStateBytes();
        if (state.heldBytes() <= max) {
            return null;
        }
        if (state.evictionWaitsForExport(now)) {
            return Rejection.of(ProblemType.HISTORY_BACKLOG, "The replicated state would hold " + state.heldBytes()
                    + " bytes, more than its budget (maxStateBytes " + max + "), and finished workflows past their "
                    + "retention cannot leave it until their history is exported (exported through log index "
                    + state.exportedThrough() + "): is PostgreSQL reachable? Retry later");
        }
        return Rejection.of(ProblemType.STATE_BUDGET, "The replicated state would hold " + state.heldBytes()
                + " bytes, more than its budget (maxStateBytes " + max + "): new work is refused until running "
                + "workflows finish and are evicted; retry later");
    }
}
