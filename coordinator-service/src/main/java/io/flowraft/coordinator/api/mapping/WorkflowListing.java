package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.DefinitionRef;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page of the workflow list, in workflow id order. Runs under the state lock, so it examines at most
 * {@code scanLimit} workflows: with a selective filter a page may hold fewer than {@code limit} items (even
 * none) and still have a {@code nextCursor}. Clients page until {@code nextCursor} is {@code null}.
 */
public final class WorkflowListing {

    private WorkflowListing() {
    }

    /**
     * @param status only workflows in this status, or {@code null} for all
     * @param definition only workflows started from this definition: any version for {@code orders}, exactly
     *     that version for {@code orders@3}; {@code null} for all (inline DAGs included)
     */
    public record Filter(WorkflowStatus status, DefinitionRef definition) {

        boolean matches(WorkflowState workflow) {
            if (status != null && workflow.status() != status) {
                return false;
            }
            if (definition == null) {
                return true;
            }
            String ref = workflow.definitionRef();
            if (ref == null) {
                return false;
            }
            return definition.version() == null ? ref.startsWith(definition.name() + "@") : ref.equals(definition.toString());
        }
    }

    /** @param afterId continue after this workflow id, or {@code null} for the first page */
    public static WorkflowPage page(EngineReadState state, Filter filter, String afterId, int limit, int scanLimit) {
        Map<String, ? extends WorkflowState> workflows =
                afterId == null ? state.workflows() : state.workflows().tailMap(afterId, false);
        List<WorkflowSummary> items = new ArrayList<>(Math.min(limit, 64));
        String lastExamined = null;
        int examined = 0;
        for (WorkflowState workflow : workflows.values()) {
            if (items.size() == limit || examined == scanLimit) {
                return new WorkflowPage(items, ListCursor.encode(lastExamined));
            }
            examined++;
            lastExamined = workflow.id();
            if (filter.matches(workflow)) {
                items.add(WorkflowViews.summary(workflow));
            }
        }
        return new WorkflowPage(items, null);
    }
}
