package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.DefinitionRef;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.history.ListQuery;
import io.flowraft.coordinator.history.WorkflowSummaryRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One page of the workflow list, in workflow id order. Runs under the state lock, so it examines at most
 * {@code scanLimit} workflows: with a selective filter a page may hold fewer than {@code limit} items (even
 * none) and still have a {@code nextCursor}. Clients page until {@code nextCursor} is {@code null}.
 *
 * <p>With history, a page merges the live state with the exported workflows of the same range of ids, the
 * live state winning for every workflow it held (history may be behind it). The state is read first: a workflow
 * it held is listed from it, and one that left it before the read was exported before it left, so history, read
 * after, has it. Paging by id thus lists every workflow exactly once while workflows move from one to the other.
 */
public final class WorkflowListing {

    private WorkflowListing() {
    }

    /**
     * @param status only workflows in this status, or {@code null} for all
     * @param definition only workflows started from this definition: any version for {@code orders}, exactly
     *     that version for {@code orders@3}; {@code null} for all (inline DAGs included)
     */
    public record Filter(WorkflowStatus status, DefinitionRef definition, Long createdFrom, Long createdTo,
            String idempotencyKey) {

        public Filter(WorkflowStatus status, DefinitionRef definition) {
            this(status, definition, null, null, null);
        }

        /** The same filter for history, from {@code afterId} on. */
        public ListQuery query(String afterId, int limit) {
            return new ListQuery(status == null ? null : status.name(), definition == null ? null : definition.name(),
                    definition == null ? null : definition.version(), createdFrom, createdTo, idempotencyKey, afterId,
                    limit);
        }

        boolean matches(WorkflowState workflow) {
            if (status != null && workflow.status() != status) {
                return false;
            }
            if (createdFrom != null && workflow.createdAt() < createdFrom
                    || createdTo != null && workflow.createdAt() >= createdTo) {
                return false;
            }
            if (idempotencyKey != null && !idempotencyKey.equals(workflow.idempotencyKey())) {
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

    /**
     * A page of the live state, with the ids it examined (every workflow of the state in the page's range) when
     * {@code keepExamined}, for {@link #merged}.
     */
    public record LivePage(WorkflowPage page, Set<String> examined) {
    }

    /** The live side of a page; runs under the state lock. */
    public static LivePage live(EngineReadState state, Filter filter, String afterId, int limit, int scanLimit,
            boolean keepExamined) {
        Set<String> examined = keepExamined ? new HashSet<>() : null;
        return new LivePage(page(state, filter, afterId, limit, scanLimit, examined), examined);
    }

    /**
     * The live page merged with a page of history read after it with the same filter, range and limit
     * ({@code exported} null without history).
     */
    public static WorkflowPage merged(LivePage live, List<WorkflowSummaryRow> exported, int limit) {
        if (exported == null) {
            return live.page();
        }
        // Each side is complete up to its bound: the live scan up to its cursor, history up to its last row when
        // the page was full. Past the lower bound the other side may be missing workflows, so the page ends there.
        String liveBound = ListCursor.decode(live.page().nextCursor());
        String historyBound = exported.size() < limit ? null : exported.getLast().id();
        String bound = liveBound == null ? historyBound
                : historyBound == null ? liveBound : liveBound.compareTo(historyBound) <= 0 ? liveBound : historyBound;
        TreeMap<String, WorkflowSummary> items = new TreeMap<>();
        for (WorkflowSummaryRow row : exported) {
            if (!live.examined().contains(row.id())) { // the live state knew better than history
                items.put(row.id(), WorkflowViews.summary(row));
            }
        }
        for (WorkflowSummary item : live.page().items()) {
            items.put(item.id(), item);
        }
        if (bound != null) {
            items.tailMap(bound, false).clear();
        }
        if (items.size() > limit) {
            List<WorkflowSummary> first = new ArrayList<>(items.values()).subList(0, limit);
            return new WorkflowPage(List.copyOf(first), ListCursor.encode(first.getLast().id()));
        }
        return new WorkflowPage(List.copyOf(items.values()), bound == null ? null : ListCursor.encode(bound));
    }

    /** @param afterId continue after this workflow id, or {@code null} for the first page */
    public static WorkflowPage page(EngineReadState state, Filter filter, String afterId, int limit, int scanLimit) {
        return page(state, filter, afterId, limit, scanLimit, null);
    }

    private static WorkflowPage page(EngineReadState state, Filter filter, String afterId, int limit, int scanLimit,
            Set<String> examinedIds) {
        return scan(state, afterId, limit, scanLimit, examinedIds,
                workflow -> filter.matches(workflow) ? WorkflowViews.summary(workflow) : null);
    }

    /**
     * Examines workflows in id order after {@code afterId}, at most {@code scanLimit} of them, and lists those
     * {@code item} makes a row of (null: not listed) until the page holds {@code limit}; the cursor follows the last
     * one examined. Runs under the state lock.
     */
    static WorkflowPage scan(EngineReadState state, String afterId, int limit, int scanLimit, Set<String> examinedIds,
            Function<WorkflowState, WorkflowSummary> item) {
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
            if (examinedIds != null) {
                examinedIds.add(lastExamined);
            }
            WorkflowSummary row = item.apply(workflow);
            if (row != null) {
                items.add(row);
            }
        }
        return new WorkflowPage(items, null);
    }
}
