package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.StuckReason;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.coordinator.engine.stuck.PollTimes;
import io.flowraft.coordinator.engine.stuck.Stuck;
import io.flowraft.coordinator.engine.stuck.StuckCheck;
import io.flowraft.coordinator.engine.stuck.StuckRules;
import io.flowraft.coordinator.engine.state.EngineReadState;
import java.util.List;

/**
 * One page of {@code GET /api/v1/workflows?stuck=true}: RUNNING workflows that match the filter and that
 * {@link StuckCheck} finds held up, in id order, each with its reasons. The live state only: a finished workflow
 * (all that history in PostgreSQL holds) is never stuck. Pages like {@link WorkflowListing}: at most
 * {@code scanLimit} workflows examined under the state lock, so a page may be short, even empty, and still have a
 * {@code nextCursor}.
 */
public final class StuckListing {

    private StuckListing() {
    }

    /** Runs under the state lock. @param afterId continue after this workflow id, or {@code null} */
    public static WorkflowPage page(EngineReadState state, WorkflowListing.Filter filter, String afterId, int limit,
            int scanLimit, long now, PollTimes polls, StuckRules rules) {
        return WorkflowListing.scan(state, afterId, limit, scanLimit, null, workflow -> {
            if (workflow.status() != WorkflowStatus.RUNNING || !filter.matches(workflow)) {
                return null;
            }
            List<Stuck> reasons = StuckCheck.reasons(state, workflow, now, polls, rules);
            if (reasons.isEmpty()) {
                return null;
            }
            WorkflowSummary summary = WorkflowViews.summary(workflow);
            return new WorkflowSummary(summary.id(), summary.definition(), summary.status(), summary.createdAt(),
                    summary.finishedAt(), reasons.stream().map(StuckListing::toView).toList());
        });
    }

    static StuckReason toView(Stuck stuck) {
        return new StuckReason(stuck.code().code(), stuck.taskId(), stuck.type(), stuck.detail());
    }
}
