package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.PollerKey;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.TaskTypeSettings;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Grants leases on READY tasks of the asked types, oldest READY first, honouring concurrency limits. Each
 * lease gets a fresh fencing token, higher than any before it. A retried poll (same worker and poller, same
 * poll id) gets back the leases of its first try that it still holds, and nothing new: a lost poll response
 * must not strand tasks until their leases expire.
 *
 * <p>Looks at no more than {@value #MAX_SCAN} READY tasks per command: tasks held back by a concurrency limit
 * are passed over, and without a bound a long queue of them would make every poll scan all of it. Tasks behind
 * more than that many held-back ones wait until the head of the queue moves.
 *
 * <p>A type with a dispatch rate limit is leased only while its token bucket holds a whole token at the command's
 * stamp (see {@link TaskTypeSettings}); its other tasks stay READY for a later poll. A type whose tokens run out
 * during the scan leaves it, so its queue costs no scanning. The leases bind to the command's principal: only it
 * may report or heartbeat them, and only it gets them back from a retried poll id.
 */
final class LeaseTasksHandler implements CommandHandler<LeaseTasks> {

    static final int MAX_SCAN = 10_000;

    @Override
    public CommandResult handle(LeaseTasks command, EngineReadState state, EventWriter events) {
        Rejection invalid = LeaseTasksRules.check(command, state.limits());
        if (invalid != null) {
            return invalid;
        }
        PollerKey poller = new PollerKey(command.workerId(), command.poller());
        PollRecord last = state.lastPoll(poller);
        if (command.pollId() != null && last != null && command.pollId().equals(last.pollId())) {
            return new LeasesGranted(stillHeld(last, command.principal(), state, command.now()), true);
        }
        TreeMap<String, Integer> taken = new TreeMap<>();
        List<TaskState> chosen = choose(command, state, taken);
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
                    deadline, leaseMs, command.principal()));
            granted.add(new GrantedLease(new LeaseId(workflowId, task.taskId(), token).toString(), workflowId,
                    task.taskId(), task.spec().type(), attempt, task.input(), workflowId + "/" + task.taskId(), expiresAt,
                    leaseMs, task.workflow().traceParent()));
        }
        for (Map.Entry<String, Integer> type : taken.entrySet()) {
            TaskTypeSettings bucket = state.taskType(type.getKey());
            long at = Math.max(command.now(), bucket.refilledAt());
            events.append(new Event.DispatchTokensTaken(type.getKey(),
                    bucket.tokensAt(at) - type.getValue() * RateLimit.TOKEN, at));
        }
        // An empty answer is not remembered: a long poll re-proposes under the same poll id until tasks come.
        if (command.pollId() != null && !granted.isEmpty()) {
            events.append(new Event.PollRecorded(command.workerId(), poller.poller(), command.pollId(),
                    granted.stream().map(GrantedLease::leaseId).toList()));
        }
        return new LeasesGranted(granted, false);
    }

    /**
     * The tasks to lease, oldest READY first.
     *
     * @param taken filled with how many tasks of each rate-limited type were chosen: the tokens to take
     */
    private static List<TaskState> choose(LeaseTasks command, EngineReadState state, Map<String, Integer> taken) {
        List<TaskState> chosen = new ArrayList<>();
        Map<String, Integer> extraByKey = new HashMap<>();
        // Whole leases each rate-limited type allows now; a type with none is not scanned at all.
        Map<String, Long> allowed = new HashMap<>();
        TreeSet<String> types = new TreeSet<>(command.taskTypes());
        for (String type : command.taskTypes()) {
            TaskTypeSettings settings = state.taskType(type);
            if (settings != null) {
                long leases = settings.leasesAllowedAt(command.now());
                allowed.put(type, leases);
                if (leases == 0) {
                    types.remove(type);
                }
            }
        }
        int scanned = 0;
        Iterator<TaskState> leasable = state.leasable(types).iterator();
        while (leasable.hasNext()) {
            TaskState task = leasable.next();
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
            String type = task.spec().type();
            Long left = allowed.get(type);
            if (left != null) {
                taken.merge(type, 1, Integer::sum);
                allowed.put(type, left - 1);
                if (left == 1) {
                    // Out of tokens: the type's other tasks wait; go on with the other types after this task.
                    types.remove(type);
                    leasable = state.leasable(types, task.readySeq()).iterator();
                }
            }
        }
        return chosen;
    }

    /** The leases of the first try still held, and bound to the principal retrying (or to none). */
    private static List<GrantedLease> stillHeld(PollRecord poll, String principal, EngineReadState state, long now) {
        List<GrantedLease> held = new ArrayList<>();
        for (String leaseIdText : poll.leaseIds()) {
            LeaseId lease = LeaseId.parse(leaseIdText).orElseThrow();
            WorkflowState workflow = state.workflow(lease.workflowId());
            TaskState task = workflow == null ? null : workflow.task(lease.taskId());
            if (task != null && task.status() == TaskStatus.LEASED && task.fencingToken() == lease.fencingToken()
                    && now < task.leaseExpiresAt()
                    && (task.leaseOwner() == null || Objects.equals(task.leaseOwner(), principal))) {
                held.add(new GrantedLease(leaseIdText, workflow.id(), task.taskId(), task.spec().type(), task.attempt(),
                        task.input(), workflow.id() + "/" + task.taskId(), task.leaseExpiresAt(),
                        task.leaseExpiresAt() - now, workflow.traceParent()));
            }
        }
        return held;
    }
}
