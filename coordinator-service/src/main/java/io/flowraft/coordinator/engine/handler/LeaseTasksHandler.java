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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Grants leases on READY tasks of the asked types, honouring concurrency limits: first the READY tasks of the
 * workflows the command prefers, then the oldest READY. Each lease gets a fresh fencing token, higher than any
 * before it. A retried poll (same worker and poller, same poll id) gets back the leases of its first try that it
 * still holds, and nothing new: a lost poll response must not strand tasks until their leases expire.
 *
 * <p>Why prefer: the {@code next} poll of a report exchange ({@code POST /api/v1/reports}) is applied right after
 * its reports, in the same Raft entry, and prefers the workflows whose tasks those reports named. The step a
 * worker just finished has its successor READY in that entry; leasing it to the same exchange, rather than the
 * oldest READY task of some other workflow, keeps a chain on one worker and cuts its end-to-end latency by a
 * queue wait per step. Conductor's update-v2 (complete a task, get the workflow's next one) and Zeebe's job push
 * do the same. Preferred workflows are taken in the order given, duplicates and unknown (or evicted) ones
 * skipped, each one's tasks in the DAG's order; then the oldest-READY scan goes on up to {@code maxTasks},
 * passing over what was already chosen. No hash order decides anything.
 *
 * <p>Looks at no more than {@value #MAX_SCAN} READY tasks in the oldest-first scan: tasks held back by a
 * concurrency limit are passed over, and without a bound a long queue of them would make every poll scan all of
 * it. Tasks behind more than that many held-back ones wait until the head of the queue moves. The preferred
 * workflows' tasks are bounded the same way, apart: at most {@value #MAX_SCAN} of them are looked at.
 *
 * <p>A type with a dispatch rate limit is leased only while its token bucket holds a whole token at the command's
 * stamp (see {@link TaskTypeSettings}); its other tasks stay READY for a later poll. A type whose tokens run out
 * leaves the scan, so its queue costs no scanning; preferred tasks take tokens from the same bucket. The leases
 * bind to the command's principal: only it may report or heartbeat them, and only it gets them back from a
 * retried poll id.
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
     * The tasks to lease: the preferred workflows' READY tasks, then the oldest READY.
     *
     * @param taken filled with how many tasks of each rate-limited type were chosen: the tokens to take
     */
    private static List<TaskState> choose(LeaseTasks command, EngineReadState state, Map<String, Integer> taken) {
        Choice choice = new Choice(command, state, taken);
        choice.preferred();
        choice.oldestReady();
        return choice.chosen;
    }

    /** One command's choice in the making: what it chose so far and what that used of limits and tokens. */
    private static final class Choice {

        private final LeaseTasks command;
        private final EngineReadState state;
        private final Map<String, Integer> taken;
        private final List<TaskState> chosen = new ArrayList<>();
        /** The same tasks, for lookups only: the oldest-first scan passes over them. */
        private final Set<TaskState> chosenSet = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<String, Integer> extraByKey = new HashMap<>();
        /** Whole leases each rate-limited type allows now. */
        private final Map<String, Long> allowed = new HashMap<>();
        /** The asked types that may still be leased: a type out of tokens is removed, so it is not scanned. */
        private final TreeSet<String> types;

        Choice(LeaseTasks command, EngineReadState state, Map<String, Integer> taken) {
            this.command = command;
            this.state = state;
            this.taken = taken;
            this.types = new TreeSet<>(command.taskTypes());
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
        }

        private boolean full() {
            return chosen.size() == command.maxTasks();
        }

        /** The READY tasks of the preferred workflows, in the order the command names them, each in DAG order. */
        void preferred() {
            if (command.preferWorkflows().isEmpty()) {
                return;
            }
            Set<String> seen = new HashSet<>(); // lookups only: the command's list gives the order
            int looked = 0;
            for (String workflowId : command.preferWorkflows()) {
                if (full() || types.isEmpty()) {
                    return;
                }
                WorkflowState workflow = seen.add(workflowId) ? state.workflow(workflowId) : null;
                if (workflow == null) {
                    continue;
                }
                for (TaskState task : workflow.tasks()) {
                    if (full() || looked++ == MAX_SCAN) {
                        return;
                    }
                    if (task.status() == TaskStatus.READY && types.contains(task.spec().type())) {
                        take(task);
                    }
                }
            }
        }

        /** Then the oldest READY tasks, passing over those chosen already. */
        void oldestReady() {
            int scanned = 0;
            Iterator<TaskState> leasable = state.leasable(types).iterator();
            while (leasable.hasNext()) {
                TaskState task = leasable.next();
                if (full()) {
                    break;
                }
                if (chosenSet.contains(task)) {
                    continue;
                }
                if (scanned++ == MAX_SCAN) {
                    break;
                }
                if (take(task) && !types.contains(task.spec().type())) {
                    // Out of tokens: the type's other tasks wait; go on with the other types after this task.
                    leasable = state.leasable(types, task.readySeq()).iterator();
                }
            }
        }

        /**
         * Chooses a READY task of a type still asked for, unless its backoff runs or its concurrency limit is
         * reached; takes a token of its type if rate-limited (and drops the type once out of tokens).
         *
         * @return whether the task was chosen
         */
        private boolean take(TaskState task) {
            if (task.notBefore() > command.now()) {
                return false;
            }
            ConcurrencyLimit limit = task.spec().concurrency();
            if (limit != null) {
                int extra = extraByKey.getOrDefault(limit.key(), 0);
                if (state.leasedWithConcurrencyKey(limit.key()) + extra >= limit.max()) {
                    return false;
                }
                extraByKey.put(limit.key(), extra + 1);
            }
            chosen.add(task);
            chosenSet.add(task);
            String type = task.spec().type();
            Long left = allowed.get(type);
            if (left != null) {
                taken.merge(type, 1, Integer::sum);
                allowed.put(type, left - 1);
                if (left == 1) {
                    types.remove(type);
                }
            }
            return true;
        }
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
