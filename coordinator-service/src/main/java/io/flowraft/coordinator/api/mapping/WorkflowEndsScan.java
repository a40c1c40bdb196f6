package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.WorkflowEndsResponse;
import io.flowraft.contracts.WorkflowEndsResponse.Ended;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.history.WorkflowSummaryRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where each of the workflows a client waits for stands in one read of the state: ended (with its status and
 * end), still running, or not held there. Copies what it reads, so it outlives the read.
 */
public final class WorkflowEndsScan {

    private final List<String> asked;
    private final Map<String, Ended> ended;
    private final List<String> missing;

    private WorkflowEndsScan(List<String> asked, Map<String, Ended> ended, List<String> missing) {
        this.asked = asked;
        this.ended = ended;
        this.missing = missing;
    }

    public static WorkflowEndsScan of(EngineReadState state, List<String> ids) {
        WorkflowEndsScan scan = new WorkflowEndsScan(List.copyOf(ids), new LinkedHashMap<>(), new ArrayList<>());
        scan.look(state, ids);
        return scan;
    }

    /** This scan with the ids it did not find looked up again in {@code state} (a later, committed one). */
    public WorkflowEndsScan recheck(EngineReadState state) {
        WorkflowEndsScan again = new WorkflowEndsScan(asked, new LinkedHashMap<>(ended), new ArrayList<>());
        again.look(state, missing);
        return again;
    }

    private void look(EngineReadState state, List<String> ids) {
        for (String id : ids) {
            WorkflowState workflow = state.workflow(id);
            if (workflow == null) {
                missing.add(id);
            } else if (workflow.status().isTerminal()) {
                ended.put(id, new Ended(id, workflow.status(), Instant.ofEpochMilli(workflow.finishedAt())));
            }
        }
    }

    /** The ids the state did not hold, in the order asked. */
    public List<String> missing() {
        return List.copyOf(missing);
    }

    /** The answer when every id was found in the state. */
    public WorkflowEndsResponse answer() {
        return answer(ids -> List.of());
    }

    /**
     * The answer, the ids the state did not hold looked up in {@code history} (all in one lookup): there they
     * ended, and an id in neither is of no workflow.
     */
    public WorkflowEndsResponse answer(Function<List<String>, List<WorkflowSummaryRow>> history) {
        Map<String, Ended> all = new LinkedHashMap<>(ended);
        if (!missing.isEmpty()) {
            for (WorkflowSummaryRow exported : history.apply(List.copyOf(missing))) {
                all.put(exported.id(), new Ended(exported.id(), WorkflowStatus.valueOf(exported.status()),
                        Instant.ofEpochMilli(exported.finishedAt())));
            }
        }
        List<String> notFound = new ArrayList<>();
        for (String id : missing) {
            if (!all.containsKey(id)) {
                notFound.add(id);
            }
        }
        List<Ended> inOrder = new ArrayList<>();
        for (String id : asked) {
            Ended end = all.get(id);
            if (end != null) {
                inOrder.add(end);
            }
        }
        return new WorkflowEndsResponse(inOrder, notFound);
    }
}
