package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.PollerKey;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grants leases on READY tasks of the asked types, oldest READY first, honouring concurrency limits. Each
 * lease gets a fresh fencing token, higher than any before it. A retried poll (same worker and poller, same
 * poll id) gets back the leases of its first try that it still holds, and nothing new: a lost poll response
 * must not strand tasks until their leases expire.
 *
 * <p>Looks at no more than {@value #MAX_SCAN} READY tasks per command: tasks held back by a concurrency limit
 * are passed over, and without a bound a long queue of them would make every poll scan all of it. Tasks behind
 * more than that many held-back ones wait until the head of the queue moves.
 */
final class LeaseTasksHandler implements CommandHandler<LeaseTasks> {

    /** Leases shorter than this could expire before the response reaches the worker. */
    static final long MIN_LEASE_MS = 1_000;
    static final int MAX_SCAN = 10_000;

    @Override
    public CommandResult handle(LeaseTasks command, EngineReadState state, EventWriter events) {
        Rejection invalid = validate(command, state.limits());
        if (invalid != null) {
            return invalid;
        }
        PollerKey poller = new PollerKey(command.workerId(), command.poller());
        PollRecord last = state.lastPoll(poller);
        if (command.pollId() != null && last != null && command.pollId().equals(last.pollId())) {
            return new LeasesGranted(stillHeld(last, state, command.now()), true);
        }
        List<TaskState> chosen = choose(command, state);
        List<GrantedLease> granted = new ArrayList<>(chosen.size());
        long token = state.lastFencingToken();
        for (TaskState task : chosen) {
            token++;
            long leaseMs = Math.min(command.leaseMs(), task.spec().timeoutMs());
            long expiresAt = command.now() + leaseMs;
            long deadline = command.now() + task.spec().timeoutMs();
            int attempt = task.attempt() + 1;
            String workflowId = task.workflow().id();
            events.append(new Event.TaskLeased(workflowId, task.taskId(), token, command.workerId(), attempt, expiresAt,
                    deadline, leaseMs));
            granted.add(new GrantedLease(new LeaseId(workflowId, task.taskId(), token).toString(), workflowId,
                    task.taskId(), task.spec().type(), attempt, task.input(), workflowId + "/" + task.taskId(), expiresAt,
                    leaseMs));
        }
        // An empty answer is not remembered: a long poll re-proposes under the same poll id until tasks come.
        if (command.pollId() != null && !granted.isEmpty()) {
            events.append(new Event.PollRecorded(command.workerId(), poller.poller(), command.pollId(),
                    granted.stream().map(GrantedLease::leaseId).toList()));
        }
        return new LeasesGranted(granted, false);
    }

    private static Rejection validate(LeaseTasks command, EngineLimits limits) {
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
        if (command.pollId() != null && !Ids.isValidKey(command.pollId())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "pollId", "Poll id must be " + Ids.KEY_RULE);
        }
        return null;
    }

    private static List<TaskState> choose(LeaseTasks command, EngineReadState state) {
        List<TaskState> chosen = new ArrayList<>();
        Map<String, Integer> extraByKey = new HashMap<>();
        int scanned = 0;
        for (TaskState task : state.leasable(command.taskTypes())) {
            if (chosen.size() == command.maxTasks() || scanned++ == MAX_SCAN) {
                break;
            }
            if (task.notBefore() > command.now()) {
                continue;
            }
            ConcurrencyLimit limit = task.spec().concurrency();
            if (limit != null) {
                int extra = extraByKey.getOrDefault(limit.key(), 0);
                if (state.leasedWithConcurrencyKey(limit.key()) + extra >= limit.max()) {
                    continue;
                }
                extraByKey.put(limit.key(), extra + 1);
            }
            chosen.add(task);
        }
        return chosen;
    }

    private static List<GrantedLease> stillHeld(PollRecord poll, EngineReadState state, long now) {
        List<GrantedLease> held = new ArrayList<>();
        for (String leaseIdText : poll.leaseIds()) {
            LeaseId lease = LeaseId.parse(leaseIdText).orElseThrow();
            WorkflowState workflow = state.workflow(lease.workflowId());
            TaskState task = workflow == null ? null : workflow.task(lease.taskId());
            if (task != null && task.status() == TaskStatus.LEASED && task.fencingToken() == lease.fencingToken()
                    && now < task.leaseExpiresAt()) {
                held.add(new GrantedLease(leaseIdText, workflow.id(), task.taskId(), task.spec().type(), task.attempt(),
                        task.input(), workflow.id() + "/" + task.taskId(), task.leaseExpiresAt(),
                        task.leaseExpiresAt() - now));
            }
        }
        return held;
    }
}
