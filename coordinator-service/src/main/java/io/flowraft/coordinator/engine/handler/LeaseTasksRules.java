package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.PollerKey;
import io.flowraft.coordinator.engine.validation.Payloads;

/**
 * What a {@link LeaseTasks} must satisfy, and whether proposing one can achieve anything: pure reads of the
 * state, shared by the engine's handler and by the leader, which asks before it proposes a poll.
 */
public final class LeaseTasksRules {

    /** Leases shorter than this could expire before the response reaches the worker. */
    static final long MIN_LEASE_MS = 1_000;
    /** The longest principal name a lease is bound to, in UTF-8 bytes: it is kept with every leased task. */
    static final int MAX_PRINCIPAL_BYTES = 256;

    private LeaseTasksRules() {
    }

    /** The rejection the engine answers {@code command} with, or {@code null} if it is well formed. */
    public static Rejection check(LeaseTasks command, EngineLimits limits) {
        if (!Ids.isValidKey(command.workerId())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "workerId", "Worker id must be " + Ids.KEY_RULE);
        }
        if (command.poller() != null && !Ids.isValidKey(command.poller())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "poller", "Poller must be " + Ids.KEY_RULE);
        }
        if (command.taskTypes() == null || command.taskTypes().isEmpty()
                || command.taskTypes().size() > limits.maxTaskTypesPerPoll()) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "taskTypes",
                    "Ask for between 1 and " + limits.maxTaskTypesPerPoll() + " task types");
        }
        for (int i = 0; i < command.taskTypes().size(); i++) {
            if (!Ids.isValidId(command.taskTypes().get(i))) {
                return Rejection.onField(ProblemType.INVALID_REQUEST, "taskTypes[" + i + "]",
                        "Task type must match " + Ids.ID_RULE);
            }
        }
        if (command.maxTasks() < 1 || command.maxTasks() > limits.maxLeasesPerPoll()) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "maxTasks",
                    "maxTasks must be between 1 and " + limits.maxLeasesPerPoll() + ", was " + command.maxTasks());
        }
        if (command.leaseMs() < MIN_LEASE_MS) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "leaseMs",
                    "leaseMs must be at least " + MIN_LEASE_MS + ", was " + command.leaseMs());
        }
        if (command.principal() != null && (command.principal().isBlank()
                || Payloads.utf8Length(command.principal()) > MAX_PRINCIPAL_BYTES)) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "principal",
                    "The polling principal's name must be 1 to " + MAX_PRINCIPAL_BYTES + " bytes and not blank");
        }
        if (command.pollId() != null && !Ids.isValidKey(command.pollId())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "pollId", "Poll id must be " + Ids.KEY_RULE);
        }
        return null;
    }

    /**
     * Whether proposing {@code command} on this state could answer anything but "no leases": it is malformed (the
     * engine answers the rejection), it retries the poller's last granted poll (the engine answers its leases), or
     * a task of its types is READY. Holds on the leader's state only, which has applied every entry it committed;
     * a false answer lets the leader wait for a task rather than commit an empty lease.
     */
    public static boolean worthProposing(LeaseTasks command, EngineReadState state) {
        if (check(command, state.limits()) != null) {
            return true;
        }
        PollRecord last = state.lastPoll(new PollerKey(command.workerId(), command.poller()));
        if (command.pollId() != null && last != null && command.pollId().equals(last.pollId())) {
            return true;
        }
        return state.leasable(command.taskTypes()).iterator().hasNext();
    }
}
