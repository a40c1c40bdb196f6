package io.flowraft.coordinator.api;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.validation.Payloads;
import io.flowraft.coordinator.replication.StateReader;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The engine's bounds, checked at the edge before anything is proposed, wherever a request can be judged
 * from its own content: an oversized input or output, too many tasks, a state already past its budget. The
 * engine checks all of them again inside the state machine (the limits it holds are the ones that count, and a
 * request may race a change of them); answering here saves the log entry and answers sooner. The limits read
 * are this node's copy of the replicated ones.
 */
@Component
final class EdgeLimits {

    private final StateReader state;

    EdgeLimits(StateReader state) {
        this.state = state;
    }

    void checkSubmit(SubmitWorkflow command) {
        EngineLimits limits = checkStateBudget();
        checkPayload("input", command.input(), limits, "Workflow input");
        checkTasks(command.tasks(), limits);
    }

    void checkRegister(RegisterDefinition command) {
        EngineLimits limits = checkStateBudget();
        checkTasks(command.tasks(), limits);
    }

    void checkComplete(CompleteTask command) {
        checkPayload("output", command.output(), state.local(s -> s.limits()), "Task output");
    }

    /** The limits in force; refuses new work at once while the state is past its budget. */
    EngineLimits checkStateBudget() {
        record Budget(EngineLimits limits, long held, boolean waitsForExport) {
        }
        // This node's clock stands in for the leader's: the engine decides with the leader's, this only saves a round.
        long now = System.currentTimeMillis();
        Budget budget = state.local(s -> new Budget(s.limits(), s.heldBytes(),
                s.heldBytes() >= s.limits().maxStateBytes() && s.evictionWaitsForExport(now)));
        if (budget.waitsForExport()) {
            throw new ApiProblemException(ProblemType.HISTORY_BACKLOG, null, "The replicated state holds "
                    + budget.held() + " bytes, its budget (maxStateBytes) is " + budget.limits().maxStateBytes()
                    + ", and finished workflows cannot leave it until their history is exported: is PostgreSQL "
                    + "reachable? Retry later");
        }
        if (budget.held() >= budget.limits().maxStateBytes()) {
            throw new ApiProblemException(ProblemType.STATE_BUDGET, null, "The replicated state holds " + budget.held()
                    + " bytes, its budget (maxStateBytes) is " + budget.limits().maxStateBytes()
                    + ": new work is refused until running workflows finish and are evicted; retry later");
        }
        return budget.limits();
    }

    private static void checkTasks(List<TaskSpec> tasks, EngineLimits limits) {
        if (tasks == null) {
            return;
        }
        if (tasks.size() > limits.maxTasks()) {
            throw new ApiProblemException(ProblemType.LIMIT_EXCEEDED, "tasks",
                    "A DAG may have at most " + limits.maxTasks() + " tasks, this one has " + tasks.size());
        }
        for (int i = 0; i < tasks.size(); i++) {
            checkPayload("tasks[" + i + "].input", tasks.get(i).input(), limits, "Task input");
        }
    }

    private static void checkPayload(String field, String json, EngineLimits limits, String what) {
        if (json != null && Payloads.utf8Length(json) > limits.maxPayloadBytes()) {
            throw new ApiProblemException(ProblemType.LIMIT_EXCEEDED, field, what + " may be at most "
                    + limits.maxPayloadBytes() + " bytes of JSON (maxPayloadBytes), this one has "
                    + Payloads.utf8Length(json));
        }
    }
}
