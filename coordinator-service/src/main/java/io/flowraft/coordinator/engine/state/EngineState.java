package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import io.flowraft.coordinator.engine.state.StateJournal.KeyMemento;
import io.flowraft.coordinator.engine.state.StateJournal.PollMemento;
import io.flowraft.coordinator.engine.state.StateJournal.TaskMemento;
import io.flowraft.coordinator.engine.state.StateJournal.TaskTypeMemento;
import io.flowraft.coordinator.engine.state.StateJournal.WorkflowMemento;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole replicated state, plus indexes derived from it (ready queues, lease expiries, concurrency
 * counts) that are rebuilt on snapshot load rather than stored. Every map whose order can reach a result
 * or the snapshot is sorted; hash maps are used for lookups only.
 *
 * <p>Besides the content it keeps, incrementally: what the state holds in bytes ({@link StateSizes}), the
 * state digest ({@link StateDigest}), and, while a command is applied, the journal that can undo it
 * ({@link StateJournal}). Commands are applied as {@link #begin}, events, then {@link #commit} or
 * {@link #rollback}.
 */
public final class EngineState implements EngineReadState {

    private final TreeMap<String, NavigableMap<Integer, RegisteredDefinition>> definitions = new TreeMap<>();
    private final TreeMap<String, MutableWorkflow> workflows = new TreeMap<>();
    /** The same workflows for lookup by id: every command does a few, and a hash beats string comparisons. */
    private final HashMap<String, MutableWorkflow> workflowsById = new HashMap<>();
    private final HashMap<String, String> workflowIdsByKey = new HashMap<>();
    private final TreeMap<PollerKey, PollRecord> polls = new TreeMap<>();
    long lastFencingToken;
    long lastReadySeq;
    long lastAppliedIndex;
    private EngineLimits limits;
    private boolean limitsConfigured;
    private long heldBytes;
    private Retention retention = Retention.DEFAULT;
    private String clusterId;
    long exportedThrough;
    private PollerKey pollSweepAfter;
    /** Idempotency keys of workflows that left the state, by key. */
    private final TreeMap<String, EvictedKey> evictedKeys = new TreeMap<>();
    /** Task types with settings (a dispatch rate limit), by type. */
    private final TreeMap<String, TaskTypeSettings> taskTypes = new TreeMap<>();

    // Derived indexes.
    private final TreeMap<String, TreeMap<Long, MutableTask>> readyByType = new TreeMap<>();
    private final TreeMap<DueKey, MutableTask> delayed = new TreeMap<>();
    private final TreeMap<DueKey, MutableTask> leasesByExpiry = new TreeMap<>();
    private final HashMap<String, Integer> leasedByConcurrencyKey = new HashMap<>();
    /** History lines not yet exported, by log index: the workflows that have one at that index. */
    private final TreeMap<Long, TreeSet<String>> outbox = new TreeMap<>();
    /** Finished workflows by when they finished, for retention. */
    private final TreeSet<Due> finishedByTime = new TreeSet<>();
    /** Rate-limited types whose bucket held less than one lease when last written: when it holds one again. */
    private final TreeMap<String, Long> tokensBackAt = new TreeMap<>();
    /** Evicted idempotency keys by when their workflow was submitted, for retention. */
    private final TreeSet<Due> evictedKeysByCreation = new TreeSet<>();

    private final StateJournal journal = new StateJournal();
    private final StateDigest digest = new StateDigest();
    private long commands;

    /** A state with the given limits, not yet confirmed by a committed {@code ConfigureEngine}. */
    public EngineState(EngineLimits limits) {
        this.limits = limits;
    }

    /** Orders items by a time, then by a unique name. */
    record Due(long at, String name) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    /** Orders due items by time, then by a unique sequence so that keys never collide. */
    record DueKey(long at, long seq) implements Comparable<DueKey> {
        @Override
        public int compareTo(DueKey o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    // ---- reads ----

    @Override
    public EngineLimits limits() {
        return limits;
    }

    @Override
    public boolean limitsConfigured() {
        return limitsConfigured;
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public Retention retention() {
        return retention;
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public long exportedThrough() {
        return exportedThrough;
    }

    @Override
    public NavigableMap<Long, ? extends Set<String>> unexported() {
        return Collections.unmodifiableNavigableMap(outbox);
    }

    @Override
    public EvictedKey evictedKey(String idempotencyKey) {
        return evictedKeys.get(idempotencyKey);
    }

    public NavigableMap<String, EvictedKey> evictedKeys() {
        return Collections.unmodifiableNavigableMap(evictedKeys);
    }

    @Override
    public List<WorkflowState> finishedBy(long at, int max) {
        List<WorkflowState> due = new ArrayList<>();
        for (Due d : finishedByTime) {
            if (d.at() > at || due.size() == max) {
                break;
            }
            due.add(workflowsById.get(d.name()));
        }
        return due;
    }

    @Override
    public List<EvictedKey> evictedKeysCreatedBy(long at, int max) {
        List<EvictedKey> due = new ArrayList<>();
        for (Due d : evictedKeysByCreation) {
            if (d.at() > at || due.size() == max) {
                break;
            }
            due.add(evictedKeys.get(d.name()));
        }
        return due;
    }

    @Override
    public TaskTypeSettings taskType(String type) {
        return taskTypes.get(type);
    }

    @Override
    public NavigableMap<String, TaskTypeSettings> taskTypes() {
        return Collections.unmodifiableNavigableMap(taskTypes);
    }

    @Override
    public NavigableMap<String, Long> tokensBackAt() {
        return Collections.unmodifiableNavigableMap(tokensBackAt);
    }

    @Override
    public NavigableMap<String, ReadyBacklog> readyBacklog(long now) {
        TreeMap<String, ReadyBacklog> backlog = new TreeMap<>();
        readyByType.forEach((type, queue) -> {
            if (!queue.isEmpty()) {
                // Ready sequences and stamps grow together: the first in the queue became READY first.
                MutableTask first = queue.firstEntry().getValue();
                backlog.put(type, new ReadyBacklog(queue.size(), Math.max(first.readyAt, first.notBefore)));
            }
        });
        for (MutableTask task : delayed.headMap(new DueKey(now, Long.MAX_VALUE), true).values()) {
            backlog.merge(task.spec().type(), new ReadyBacklog(1, task.notBefore),
                    (a, b) -> new ReadyBacklog(a.tasks() + b.tasks(), Math.min(a.leasableSince(), b.leasableSince())));
        }
        return backlog;
    }

    @Override
    public boolean hasLeasable(String type) {
        TreeMap<Long, MutableTask> queue = readyByType.get(type);
        return queue != null && !queue.isEmpty();
    }

    @Override
    public PollerKey pollSweepAfter() {
        return pollSweepAfter;
    }

    @Override
    public RegisteredDefinition definition(String name, int version) {
        NavigableMap<Integer, RegisteredDefinition> versions = definitions.get(name);
        return versions == null ? null : versions.get(version);
    }

    @Override
    public RegisteredDefinition latestDefinition(String name) {
        NavigableMap<Integer, RegisteredDefinition> versions = definitions.get(name);
        return versions == null || versions.isEmpty() ? null : versions.lastEntry().getValue();
    }

    @Override
    public NavigableMap<String, NavigableMap<Integer, RegisteredDefinition>> definitions() {
        return Collections.unmodifiableNavigableMap(definitions);
    }

    @Override
    public MutableWorkflow workflow(String workflowId) {
        return workflowId == null ? null : workflowsById.get(workflowId);
    }

    @Override
    public NavigableMap<String, MutableWorkflow> workflows() {
        return Collections.unmodifiableNavigableMap(workflows);
    }

    @Override
    public String workflowIdForKey(String idempotencyKey) {
        return workflowIdsByKey.get(idempotencyKey);
    }

    @Override
    public long lastFencingToken() {
        return lastFencingToken;
    }

    @Override
    public PollRecord lastPoll(PollerKey poller) {
        return polls.get(poller);
    }

    @Override
    public NavigableMap<PollerKey, PollRecord> polls() {
        return Collections.unmodifiableNavigableMap(polls);
    }

    public long lastReadySeq() {
        return lastReadySeq;
    }

    @Override
    public long lastAppliedIndex() {
        return lastAppliedIndex;
    }

    @Override
    public int leasedWithConcurrencyKey(String key) {
        return leasedByConcurrencyKey.getOrDefault(key, 0);
    }

    @Override
    public List<TaskState> leasesDueBy(long now, int max) {
        List<TaskState> due = new ArrayList<>();
        for (Map.Entry<DueKey, MutableTask> e : leasesByExpiry.entrySet()) {
            if (e.getKey().at() > now || due.size() == max) {
                break;
            }
            due.add(e.getValue());
        }
        return due;
    }

    @Override
    public long nextLeaseExpiry() {
        return leasesByExpiry.isEmpty() ? Long.MAX_VALUE : leasesByExpiry.firstKey().at();
    }

    @Override
    public long nextBackoffEnd() {
        return delayed.isEmpty() ? Long.MAX_VALUE : delayed.firstKey().at();
    }

    @Override
    public Iterable<TaskState> leasable(Collection<String> taskTypes) {
        return leasable(taskTypes, Long.MIN_VALUE);
    }

    @Override
    public Iterable<TaskState> leasable(Collection<String> taskTypes, long afterSeq) {
        List<Iterator<MutableTask>> sources = new ArrayList<>();
        for (String type : new TreeSet<>(taskTypes)) {
            TreeMap<Long, MutableTask> queue = readyByType.get(type);
            if (queue != null && !queue.isEmpty()) {
                Iterator<MutableTask> tail = queue.tailMap(afterSeq, false).values().iterator();
                if (tail.hasNext()) {
                    sources.add(tail);
                }
            }
        }
        return () -> new MergedBySeq(sources);
    }

    /** Merges per-type ready queues into one stream ordered by ready sequence. */
    private static final class MergedBySeq implements Iterator<TaskState> {
        private record Head(MutableTask task, Iterator<MutableTask> rest) {
        }

        private final PriorityQueue<Head> heads =
                new PriorityQueue<>((a, b) -> Long.compare(a.task.readySeq, b.task.readySeq));

        MergedBySeq(List<Iterator<MutableTask>> sources) {
            for (Iterator<MutableTask> source : sources) {
                heads.add(new Head(source.next(), source));
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public TaskState next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            if (head.rest.hasNext()) {
                heads.add(new Head(head.rest.next(), head.rest));
            }
            return head.task;
        }
    }

    /** The state digest: see {@link StateDigest}. Cheap: nothing is serialized. */
    public String digest() {
        return digest.hex(this);
    }

    /** Records that the command at this log index has been applied. */
    public void markApplied(long index) {
        lastAppliedIndex = Math.max(lastAppliedIndex, index);
    }

    // ---- commands: all or nothing ----

    /** Starts journaling a command: until {@link #commit} or {@link #rollback}, every change can be undone. */
    public void begin() {
        journal.clear();
        journal.mark = ++commands;
        journal.fencingToken = lastFencingToken;
        journal.readySeq = lastReadySeq;
        journal.heldBytes = heldBytes;
        journal.limits = limits;
        journal.limitsConfigured = limitsConfigured;
        journal.retention = retention;
        journal.clusterId = clusterId;
        journal.exportedThrough = exportedThrough;
        journal.pollSweepAfter = pollSweepAfter;
    }

    /**
     * Keeps what the command changed: folds it into the digest, and brings the derived indexes of history
     * (the outbox of unexported lines, finished workflows by time) up to date.
     */
    public void commit() {
        for (MutableWorkflow workflow : journal.evictedWorkflows) {
            digest.removeWorkflow(workflow);
            finishedByTime.remove(new Due(workflow.finishedAt, workflow.id()));
            for (HistoryEntry line : workflow.history()) {
                dropFromOutbox(line.index(), workflow.id());
            }
        }
        for (MutableWorkflow workflow : journal.addedWorkflows) {
            digest.updateWorkflow(workflow);
            for (MutableTask task : workflow.tasks()) {
                digest.updateTask(task);
            }
            for (int i = 0; i < workflow.history().size(); i++) {
                digest.addHistory(workflow, i);
                addToOutbox(workflow.history().get(i).index(), workflow.id());
            }
            if (workflow.status.isTerminal()) {
                finishedByTime.add(new Due(workflow.finishedAt, workflow.id()));
            }
        }
        for (WorkflowMemento before : journal.workflows) {
            MutableWorkflow workflow = before.workflow();
            if (workflow.status != before.status() || workflow.finishedAt != before.finishedAt()) {
                digest.updateWorkflow(workflow);
                if (workflow.status.isTerminal() && !before.status().isTerminal()) {
                    finishedByTime.add(new Due(workflow.finishedAt, workflow.id()));
                }
            }
            for (int i = before.historySize(); i < workflow.history().size(); i++) {
                digest.addHistory(workflow, i);
                addToOutbox(workflow.history().get(i).index(), workflow.id());
            }
        }
        for (TaskMemento before : journal.tasks) {
            if (!journal.addedWorkflows.contains(before.task().workflow())) {
                digest.updateTask(before.task());
            }
        }
        for (RegisteredDefinition definition : journal.addedDefinitions) {
            digest.addDefinition(definition);
        }
        for (PollMemento poll : journal.polls) {
            if (poll.before() != null) {
                digest.removePoll(poll.key(), poll.before());
            }
            PollRecord now = polls.get(poll.key());
            if (now != null) {
                digest.addPoll(poll.key(), now);
            }
        }
        for (KeyMemento key : journal.keys) {
            if (key.before() != null) {
                digest.removeEvictedKey(key.before());
            }
            EvictedKey now = evictedKeys.get(key.idempotencyKey());
            if (now != null) {
                digest.addEvictedKey(now);
            }
        }
        for (TaskTypeMemento type : journal.taskTypes) {
            if (type.before() != null) {
                digest.removeTaskType(type.before());
            }
            TaskTypeSettings now = taskTypes.get(type.type());
            if (now != null) {
                digest.addTaskType(now);
            }
        }
        if (exportedThrough > journal.exportedThrough) {
            trimOutbox(exportedThrough);
        }
        journal.clear();
    }

    /** Undoes every change since {@link #begin}, in reverse order; the digest was never touched. */
    public void rollback() {
        for (int i = journal.tasks.size() - 1; i >= 0; i--) {
            restore(journal.tasks.get(i));
        }
        for (int i = journal.workflows.size() - 1; i >= 0; i--) {
            WorkflowMemento before = journal.workflows.get(i);
            MutableWorkflow workflow = before.workflow();
            workflow.status = before.status();
            workflow.finishedAt = before.finishedAt();
            workflow.unfinished = before.unfinished();
            workflow.heldBytes = before.heldBytes();
            workflow.truncateHistory(before.historySize());
        }
        for (MutableWorkflow workflow : journal.addedWorkflows) {
            workflows.remove(workflow.id());
            workflowsById.remove(workflow.id());
            if (workflow.idempotencyKey() != null) {
                workflowIdsByKey.remove(workflow.idempotencyKey());
            }
        }
        for (MutableWorkflow workflow : journal.evictedWorkflows) {
            workflows.put(workflow.id(), workflow);
            workflowsById.put(workflow.id(), workflow);
            if (workflow.idempotencyKey() != null) {
                workflowIdsByKey.put(workflow.idempotencyKey(), workflow.id());
            }
        }
        for (int i = journal.keys.size() - 1; i >= 0; i--) {
            KeyMemento key = journal.keys.get(i);
            removeEvictedKey(key.idempotencyKey());
            if (key.before() != null) {
                putEvictedKey(key.before());
            }
        }
        for (RegisteredDefinition added : journal.addedDefinitions) {
            NavigableMap<Integer, RegisteredDefinition> versions = definitions.get(added.definition().name());
            versions.remove(added.definition().version());
            if (versions.isEmpty()) {
                definitions.remove(added.definition().name());
            }
        }
        for (int i = journal.taskTypes.size() - 1; i >= 0; i--) {
            TaskTypeMemento type = journal.taskTypes.get(i);
            putTaskType(type.type(), type.before());
        }
        for (int i = journal.polls.size() - 1; i >= 0; i--) {
            PollMemento poll = journal.polls.get(i);
            if (poll.before() == null) {
                polls.remove(poll.key());
            } else {
                polls.put(poll.key(), poll.before());
            }
        }
        lastFencingToken = journal.fencingToken;
        lastReadySeq = journal.readySeq;
        heldBytes = journal.heldBytes;
        limits = journal.limits;
        limitsConfigured = journal.limitsConfigured;
        retention = journal.retention;
        clusterId = journal.clusterId;
        exportedThrough = journal.exportedThrough;
        pollSweepAfter = journal.pollSweepAfter;
        journal.clear();
    }

    /** Remembers the task as it is, once per command, before the applier changes it. */
    void touch(MutableTask task) {
        if (!journal.active() || task.journalMark == journal.mark) {
            return;
        }
        task.journalMark = journal.mark;
        boolean isDelayed = task.status == TaskStatus.READY && delayed.containsKey(new DueKey(task.notBefore, task.readySeq));
        journal.tasks.add(new TaskMemento(task, task.status, task.attempt, task.input, task.output, task.error,
                task.fencingToken, task.leaseWorker, task.leaseOwner, task.leaseExpiresAt, task.leaseDeadline, task.leaseMs,
                task.notBefore, task.readySeq, task.readyAt, task.finishedAt, isDelayed));
    }

    /** Remembers the workflow's own fields and history length, once per command, before they change. */
    void touch(MutableWorkflow workflow) {
        if (!journal.active() || workflow.journalMark == journal.mark) {
            return;
        }
        workflow.journalMark = journal.mark;
        journal.workflows.add(new WorkflowMemento(workflow, workflow.status, workflow.finishedAt, workflow.unfinished,
                workflow.history().size(), workflow.heldBytes));
    }

    private void restore(TaskMemento before) {
        MutableTask task = before.task();
        if (task.status == TaskStatus.READY) {
            unindexReady(task);
        } else if (task.status == TaskStatus.LEASED) {
            unindexLease(task);
        }
        task.status = before.status();
        task.attempt = before.attempt();
        task.input = before.input();
        task.output = before.output();
        task.error = before.error();
        task.fencingToken = before.fencingToken();
        task.leaseWorker = before.leaseWorker();
        task.leaseOwner = before.leaseOwner();
        task.leaseExpiresAt = before.leaseExpiresAt();
        task.leaseDeadline = before.leaseDeadline();
        task.leaseMs = before.leaseMs();
        task.notBefore = before.notBefore();
        task.readySeq = before.readySeq();
        task.readyAt = before.readyAt();
        task.finishedAt = before.finishedAt();
        if (task.status == TaskStatus.READY) {
            if (before.delayed()) {
                delayed.put(new DueKey(task.notBefore, task.readySeq), task);
            } else {
                enqueueReady(task);
            }
        } else if (task.status == TaskStatus.LEASED) {
            indexLease(task);
        }
    }

    // ---- changes (called by the applier, by the engine before leasing, and by snapshot load) ----

    /** Moves READY tasks whose backoff ended at or before {@code now} into their ready queues. */
    public void promoteDue(long now) {
        while (!delayed.isEmpty() && delayed.firstKey().at() <= now) {
            MutableTask task = delayed.pollFirstEntry().getValue();
            enqueueReady(task);
        }
    }

    void configure(EngineLimits newLimits) {
        limits = newLimits;
        limitsConfigured = true;
    }

    void configure(Retention newRetention) {
        retention = newRetention;
    }

    void nameCluster(String id) {
        clusterId = id;
    }

    void acknowledgeExport(long throughIndex) {
        exportedThrough = Math.max(exportedThrough, throughIndex);
    }

    void movePollSweep(PollerKey after) {
        pollSweepAfter = after;
    }

    /** Sets a task type's settings (its bucket included), or removes them with {@code settings = null}. */
    void configureTaskType(String type, TaskTypeSettings settings) {
        if (journal.active() && journal.taskTypes.stream().noneMatch(t -> t.type().equals(type))) {
            journal.taskTypes.add(new TaskTypeMemento(type, taskTypes.get(type)));
        }
        putTaskType(type, settings);
    }

    /** Replaces a type's settings, keeping the byte count and the index of starved buckets in step. */
    private void putTaskType(String type, TaskTypeSettings settings) {
        TaskTypeSettings before = settings == null ? taskTypes.remove(type) : taskTypes.put(type, settings);
        if (before != null) {
            heldBytes -= StateSizes.taskType(before);
        }
        tokensBackAt.remove(type);
        if (settings != null) {
            heldBytes += StateSizes.taskType(settings);
            indexTokens(settings);
        }
    }

    private void indexTokens(TaskTypeSettings settings) {
        if (settings.tokens() < io.flowraft.coordinator.engine.model.RateLimit.TOKEN) {
            tokensBackAt.put(settings.type(), settings.wholeTokenAt());
        }
    }

    /** Removes a finished workflow; its idempotency key, if {@code keptKey} is given, stays as a tombstone. */
    void evict(MutableWorkflow workflow, EvictedKey keptKey) {
        workflows.remove(workflow.id());
        workflowsById.remove(workflow.id());
        if (workflow.idempotencyKey() != null) {
            workflowIdsByKey.remove(workflow.idempotencyKey());
        }
        heldBytes -= workflow.heldBytes;
        if (journal.active()) {
            journal.evictedWorkflows.add(workflow);
        }
        if (keptKey != null) {
            journalKey(keptKey.idempotencyKey());
            putEvictedKey(keptKey);
        }
    }

    void expireKey(String idempotencyKey) {
        journalKey(idempotencyKey);
        removeEvictedKey(idempotencyKey);
    }

    void dropPoll(PollerKey key) {
        PollRecord before = polls.remove(key);
        if (before == null) {
            return;
        }
        heldBytes -= StateSizes.poll(key, before);
        if (journal.active() && journal.polls.stream().noneMatch(p -> p.key().equals(key))) {
            journal.polls.add(new PollMemento(key, before));
        }
    }

    private void journalKey(String idempotencyKey) {
        if (journal.active() && journal.keys.stream().noneMatch(k -> k.idempotencyKey().equals(idempotencyKey))) {
            journal.keys.add(new KeyMemento(idempotencyKey, evictedKeys.get(idempotencyKey)));
        }
    }

    private void putEvictedKey(EvictedKey key) {
        EvictedKey before = evictedKeys.put(key.idempotencyKey(), key);
        if (before != null) {
            evictedKeysByCreation.remove(new Due(before.createdAt(), before.idempotencyKey()));
            heldBytes -= StateSizes.evictedKey(before);
        }
        evictedKeysByCreation.add(new Due(key.createdAt(), key.idempotencyKey()));
        heldBytes += StateSizes.evictedKey(key);
    }

    private void removeEvictedKey(String idempotencyKey) {
        EvictedKey before = evictedKeys.remove(idempotencyKey);
        if (before != null) {
            evictedKeysByCreation.remove(new Due(before.createdAt(), before.idempotencyKey()));
            heldBytes -= StateSizes.evictedKey(before);
        }
    }

    private void addToOutbox(long index, String workflowId) {
        if (index > exportedThrough && outbox.computeIfAbsent(index, i -> new TreeSet<>()).add(workflowId)) {
            heldBytes += StateSizes.OUTBOX_ENTRY;
        }
    }

    private void dropFromOutbox(long index, String workflowId) {
        TreeSet<String> at = outbox.get(index);
        if (at != null && at.remove(workflowId)) {
            heldBytes -= StateSizes.OUTBOX_ENTRY;
            if (at.isEmpty()) {
                outbox.remove(index);
            }
        }
    }

    private void trimOutbox(long throughIndex) {
        NavigableMap<Long, TreeSet<String>> done = outbox.headMap(throughIndex, true);
        for (TreeSet<String> at : done.values()) {
            heldBytes -= (long) StateSizes.OUTBOX_ENTRY * at.size();
        }
        done.clear();
    }

    void addDefinition(WorkflowDefinition definition, DagPlan plan) {
        RegisteredDefinition registered = new RegisteredDefinition(definition, plan);
        definitions.computeIfAbsent(definition.name(), n -> new TreeMap<>()).put(definition.version(), registered);
        heldBytes += StateSizes.definition(definition.tasks(), definition.name());
        if (journal.active()) {
            journal.addedDefinitions.add(registered);
        }
    }

    void addWorkflow(MutableWorkflow workflow) {
        workflows.put(workflow.id(), workflow);
        workflowsById.put(workflow.id(), workflow);
        if (workflow.idempotencyKey() != null) {
            workflowIdsByKey.put(workflow.idempotencyKey(), workflow.id());
        }
        workflow.heldBytes = StateSizes.workflowBase(workflow);
        heldBytes += workflow.heldBytes;
        if (journal.active()) {
            workflow.journalMark = journal.mark; // new: removing it undoes everything, no memento needed
            journal.addedWorkflows.add(workflow);
        }
    }

    /** Adds {@code bytes} (negative to release) to what the workflow, and so the state, holds. */
    void grow(MutableWorkflow workflow, long bytes) {
        workflow.heldBytes += bytes;
        heldBytes += bytes;
    }

    void recordPoll(PollerKey key, PollRecord record) {
        PollRecord before = polls.put(key, record);
        if (before != null) {
            heldBytes -= StateSizes.poll(key, before);
        }
        heldBytes += StateSizes.poll(key, record);
        if (journal.active() && journal.polls.stream().noneMatch(p -> p.key().equals(key))) {
            journal.polls.add(new PollMemento(key, before));
        }
    }

    /** Indexes a task that just became READY. */
    void indexReady(MutableTask task, long now) {
        if (task.notBefore > now) {
            delayed.put(new DueKey(task.notBefore, task.readySeq), task);
        } else {
            enqueueReady(task);
        }
    }

    private void enqueueReady(MutableTask task) {
        readyByType.computeIfAbsent(task.spec().type(), t -> new TreeMap<>()).put(task.readySeq, task);
    }

    /** Removes a task that leaves READY from whichever ready index holds it. */
    void unindexReady(MutableTask task) {
        if (delayed.remove(new DueKey(task.notBefore, task.readySeq)) != null) {
            return;
        }
        TreeMap<Long, MutableTask> queue = readyByType.get(task.spec().type());
        if (queue != null) {
            queue.remove(task.readySeq);
            if (queue.isEmpty()) {
                readyByType.remove(task.spec().type());
            }
        }
    }

    void indexLease(MutableTask task) {
        leasesByExpiry.put(new DueKey(task.leaseExpiresAt, task.fencingToken), task);
        if (task.spec().concurrency() != null) {
            leasedByConcurrencyKey.merge(task.spec().concurrency().key(), 1, Integer::sum);
        }
    }

    void unindexLease(MutableTask task) {
        leasesByExpiry.remove(new DueKey(task.leaseExpiresAt, task.fencingToken));
        if (task.spec().concurrency() != null) {
            leasedByConcurrencyKey.computeIfPresent(task.spec().concurrency().key(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * After a snapshot load: rebuilds every derived index from task states, and counts the bytes and the digest
     * from scratch (the same totals the commands that built the state kept incrementally).
     */
    void rebuildDerived() {
        readyByType.clear();
        delayed.clear();
        leasesByExpiry.clear();
        leasedByConcurrencyKey.clear();
        heldBytes = 0;
        for (NavigableMap<Integer, RegisteredDefinition> versions : definitions.values()) {
            for (RegisteredDefinition registered : versions.values()) {
                heldBytes += StateSizes.definition(registered.definition().tasks(), registered.definition().name());
                digest.addDefinition(registered);
            }
        }
        for (MutableWorkflow workflow : workflows.values()) {
            workflow.heldBytes = StateSizes.workflow(workflow);
            heldBytes += workflow.heldBytes;
            digest.updateWorkflow(workflow);
            for (MutableTask task : workflow.tasks()) {
                if (task.status == TaskStatus.READY) {
                    delayed.put(new DueKey(task.notBefore, task.readySeq), task);
                } else if (task.status == TaskStatus.LEASED) {
                    indexLease(task);
                }
                digest.updateTask(task);
            }
            for (int i = 0; i < workflow.history().size(); i++) {
                digest.addHistory(workflow, i);
            }
        }
        for (Map.Entry<PollerKey, PollRecord> poll : polls.entrySet()) {
            heldBytes += StateSizes.poll(poll.getKey(), poll.getValue());
            digest.addPoll(poll.getKey(), poll.getValue());
        }
        outbox.clear();
        finishedByTime.clear();
        for (MutableWorkflow workflow : workflows.values()) {
            for (HistoryEntry line : workflow.history()) {
                addToOutbox(line.index(), workflow.id());
            }
            if (workflow.status.isTerminal()) {
                finishedByTime.add(new Due(workflow.finishedAt, workflow.id()));
            }
        }
        tokensBackAt.clear();
        for (TaskTypeSettings type : taskTypes.values()) {
            heldBytes += StateSizes.taskType(type);
            indexTokens(type);
            digest.addTaskType(type);
        }
        List<EvictedKey> keys = List.copyOf(evictedKeys.values());
        evictedKeys.clear();
        evictedKeysByCreation.clear();
        for (EvictedKey key : keys) {
            putEvictedKey(key);
            digest.addEvictedKey(key);
        }
    }

    /** Restores what a snapshot recorded of retention and export. */
    void loadHistoryState(Retention loadedRetention, String loadedClusterId, long loadedExportedThrough,
            PollerKey loadedPollSweepAfter, List<EvictedKey> loadedKeys) {
        retention = loadedRetention;
        clusterId = loadedClusterId;
        exportedThrough = loadedExportedThrough;
        pollSweepAfter = loadedPollSweepAfter;
        for (EvictedKey key : loadedKeys) {
            evictedKeys.put(key.idempotencyKey(), key);
        }
    }

    /** Restores the task type settings a snapshot recorded; counted by {@link #rebuildDerived}. */
    void loadTaskTypes(List<TaskTypeSettings> loaded) {
        for (TaskTypeSettings type : loaded) {
            taskTypes.put(type.type(), type);
        }
    }

    /** Restores the limits a snapshot recorded. */
    void loadLimits(EngineLimits loaded, boolean configured) {
        limits = loaded;
        limitsConfigured = configured;
    }
}
