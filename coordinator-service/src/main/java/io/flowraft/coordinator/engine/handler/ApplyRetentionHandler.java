package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.RetentionApplied;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.EvictedKey;
import io.flowraft.coordinator.engine.state.PollerKey;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the replicated state to what is live. A bounded amount per command, oldest first; the leader's
 * scheduler proposes again while more is due.
 * <ul>
 *   <li>A finished workflow leaves once its retention has passed <em>and</em> every history line of it is at or
 *       before the export position: nothing unexported is ever evicted. Its idempotency key stays behind, to
 *       answer repeats, until the key's own retention passes.</li>
 *   <li>Kept keys of evicted workflows expire after their retention (from the workflow's submit).</li>
 *   <li>A poll record whose leases are all no longer held is dropped: a retry of that poll could only be given
 *       leases that are gone. Records are swept {@value #MAX_POLLS} at a time from where the last sweep
 *       stopped.</li>
 * </ul>
 */
final class ApplyRetentionHandler implements CommandHandler<ApplyRetention> {

    static final int MAX_EVICTIONS = 100;
    /** Finished workflows looked at per command, some of which may wait for export. */
    static final int MAX_EXAMINED = 1_000;
    static final int MAX_KEYS = 1_000;
    static final int MAX_POLLS = 1_000;

    @Override
    public CommandResult handle(ApplyRetention command, EngineReadState state, EventWriter events) {
        Retention retention = state.retention();
        long now = command.now();
        int evicted = 0;
        for (WorkflowState workflow : state.finishedBy(now - retention.finishedAfterMs(), MAX_EXAMINED)) {
            if (evicted == MAX_EVICTIONS) {
                break;
            }
            if (state.exported(workflow)) {
                boolean keepKey = workflow.idempotencyKey() != null
                        && workflow.createdAt() + retention.idempotencyKeysMs() > now;
                events.append(new Event.WorkflowEvicted(workflow.id(), keepKey));
                evicted++;
            }
        }
        int expired = 0;
        for (EvictedKey key : state.evictedKeysCreatedBy(now - retention.idempotencyKeysMs(), MAX_KEYS)) {
            events.append(new Event.IdempotencyKeyExpired(key.idempotencyKey()));
            expired++;
        }
        return new RetentionApplied(evicted, expired, sweepPolls(state, now, events));
    }

    private static int sweepPolls(EngineReadState state, long now, EventWriter events) {
        PollerKey after = state.pollSweepAfter();
        Map<PollerKey, PollRecord> rest = after == null ? state.polls() : state.polls().tailMap(after, false);
        int looked = 0;
        PollerKey last = null;
        List<PollerKey> unheld = new ArrayList<>();
        for (Map.Entry<PollerKey, PollRecord> poll : rest.entrySet()) {
            if (looked++ == MAX_POLLS) {
                break;
            }
            last = poll.getKey();
            if (!anyHeld(poll.getValue(), state, now)) {
                unheld.add(last);
            }
        }
        // Dropped once the walk is over: dropping changes the map being walked.
        for (PollerKey key : unheld) {
            events.append(new Event.PollRecordDropped(key.workerId(), key.poller()));
        }
        int dropped = unheld.size();
        PollerKey next = looked > MAX_POLLS ? last : null; // reached the end: start from the first next time
        if (next == null ? after != null : !next.equals(after)) {
            events.append(new Event.PollSweepMoved(next == null ? null : next.workerId(),
                    next == null ? null : next.poller()));
        }
        return dropped;
    }

    private static boolean anyHeld(PollRecord poll, EngineReadState state, long now) {
        for (String leaseId : poll.leaseIds()) {
            LeaseId lease = LeaseId.parse(leaseId).orElse(null);
            WorkflowState workflow = lease == null ? null : state.workflow(lease.workflowId());
            TaskState task = workflow == null ? null : workflow.task(lease.taskId());
            if (task != null && task.status() == TaskStatus.LEASED && task.fencingToken() == lease.fencingToken()
                    && now < task.leaseExpiresAt()) {
                return true;
            }
        }
        return false;
    }
}
