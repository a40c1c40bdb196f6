package io.flowraft.coordinator.engine.state;

import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;

/** What command handlers may read. Nothing here mutates. */
public interface EngineReadState {

    /** The limits in force: committed by {@code ConfigureEngine}, or the defaults before the first one. */
    EngineLimits limits();

    /** Whether a {@code ConfigureEngine} has set the limits (a new cluster's first leader proposes one). */
    boolean limitsConfigured();

    /** What the whole state holds, in {@link StateSizes} bytes: judged against {@code maxStateBytes}. */
    long heldBytes();

    /** How long finished workflows and evicted idempotency keys stay (replicated, like the limits). */
    Retention retention();

    /** The cluster's name, given by its first leader (its history lives under it), or null before. */
    String clusterId();

    /** The log index up to which history has been exported (a committed position). */
    long exportedThrough();

    /** History not yet exported: by log index past {@link #exportedThrough()}, the workflows with a line there. */
    NavigableMap<Long, ? extends Set<String>> unexported();

    /** The kept idempotency key of a workflow that left the state, or null. */
    EvictedKey evictedKey(String idempotencyKey);

    /** At most {@code max} finished workflows that finished at or before {@code at}, oldest first. */
    List<WorkflowState> finishedBy(long at, int max);

    /** At most {@code max} kept keys whose workflow was submitted at or before {@code at}, oldest first. */
    List<EvictedKey> evictedKeysCreatedBy(long at, int max);

    /** Whether every history line of the workflow is at or before the export position. */
    default boolean exported(WorkflowState workflow) {
        List<HistoryEntry> history = workflow.history();
        return history.isEmpty() || history.getLast().index() <= exportedThrough();
    }

    /** Whether the oldest finished workflow past its retention at {@code now} is held back only by the export. */
    default boolean evictionWaitsForExport(long now) {
        for (WorkflowState due : finishedBy(now - retention().finishedAfterMs(), 1)) {
            return !exported(due);
        }
        return false;
    }

    /** A task type's settings (its dispatch rate limit and bucket), or null when it has none. */
    TaskTypeSettings taskType(String type);

    /** Every task type with settings, by type. */
    NavigableMap<String, TaskTypeSettings> taskTypes();

    /**
     * Rate-limited types whose bucket ran out (held less than one lease when a lease last took from it), by type:
     * when it holds a whole lease again. What wakes long polls waiting on such a type.
     */
    NavigableMap<String, Long> tokensBackAt();

    /** Whether a READY task of this type is in its ready queue (its backoff, if any, over as of the last command). */
    boolean hasLeasable(String type);

    /** Every poller's last granted poll, by worker and poller. */
    NavigableMap<PollerKey, PollRecord> polls();

    /** Where the next sweep of poll records starts (after this one), or null for the first. */
    PollerKey pollSweepAfter();

    /** A registered definition version, or null. */
    RegisteredDefinition definition(String name, int version);

    /** The highest registered version of a definition, or null. */
    RegisteredDefinition latestDefinition(String name);

    /** All versions of every definition, by name then version. */
    NavigableMap<String, NavigableMap<Integer, RegisteredDefinition>> definitions();

    WorkflowState workflow(String workflowId);

    /** Every workflow by id, in id order. */
    NavigableMap<String, ? extends WorkflowState> workflows();

    /** The workflow started under an idempotency key, or null. */
    String workflowIdForKey(String idempotencyKey);

    /** The highest fencing token ever granted; 0 before the first lease. */
    long lastFencingToken();

    /** The last poll that was granted leases for this poller of a worker, or null. */
    PollRecord lastPoll(PollerKey poller);

    /**
     * READY tasks of the given types whose backoff has passed (as of the last {@code promoteDue}), oldest
     * first: the order leases are granted in.
     */
    Iterable<TaskState> leasable(Collection<String> taskTypes);

    /** The same, from the first task that became READY after the one with ready sequence {@code afterSeq}. */
    Iterable<TaskState> leasable(Collection<String> taskTypes, long afterSeq);

    /** At most {@code max} leased tasks whose lease expires at or before {@code now}, by expiry then fencing token. */
    List<TaskState> leasesDueBy(long now, int max);

    /** How many tasks holding this concurrency key are leased now. */
    int leasedWithConcurrencyKey(String key);

    long lastAppliedIndex();

    /** The earliest time at which a lease expires or a backoff ends, or {@code Long.MAX_VALUE}. */
    default long nextDueTime() {
        return Math.min(nextLeaseExpiry(), nextBackoffEnd());
    }

    /** The earliest lease expiry, or {@code Long.MAX_VALUE}: when the leader should propose {@code ExpireLeases}. */
    long nextLeaseExpiry();

    /** The earliest end of a retry backoff, or {@code Long.MAX_VALUE}: when waiting pollers may find work. */
    long nextBackoffEnd();

    /**
     * The READY backlog as of {@code now}: for each type with READY tasks whose backoff is over by then (promoted or
     * not yet), how many, and since when the oldest of them could be leased. A read for the backlog gauges, outside
     * any command; costs a look at each type with READY tasks and at each task whose backoff ended since the last
     * command.
     */
    NavigableMap<String, ReadyBacklog> readyBacklog(long now);

    /**
     * @param tasks          READY tasks of the type that may be leased
     * @param leasableSince  since when the task that became READY first may be leased: when it became READY, or,
     *                       for a retry, when its backoff ended (epoch milliseconds, the leader's stamps). A retry
     *                       first in line whose backoff ended after a later task became READY makes this
     *                       late by the difference: the age it gives may be understated, never overstated.
     */
    record ReadyBacklog(int tasks, long leasableSince) {
    }

    /** A definition version with its indexed DAG. */
    record RegisteredDefinition(WorkflowDefinition definition, DagPlan plan) {
    }

    /** A worker's last poll id and the leases it was answered with. */
    record PollRecord(String pollId, List<String> leaseIds) {

        public PollRecord {
            leaseIds = List.copyOf(leaseIds);
        }
    }
}
