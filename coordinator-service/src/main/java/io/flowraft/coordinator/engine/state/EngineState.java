package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole replicated state, plus indexes derived from it (ready queues, lease expiries, concurrency
 * counts) that are rebuilt on snapshot load rather than stored. Every map whose order can reach a result
 * or the snapshot is sorted; hash maps are used for lookups only.
 */
public final class EngineState implements EngineReadState {

    private final TreeMap<String, NavigableMap<Integer, RegisteredDefinition>> definitions = new TreeMap<>();
    private final TreeMap<String, MutableWorkflow> workflows = new TreeMap<>();
    /** The same workflows for lookup by id: every command does a few, and a hash beats string comparisons. */
    private final HashMap<String, MutableWorkflow> workflowsById = new HashMap<>();
    private final HashMap<String, String> workflowIdsByKey = new HashMap<>();
    private final TreeMap<String, PollRecord> polls = new TreeMap<>();
    long lastFencingToken;
    long lastReadySeq;
    long lastAppliedIndex;

    // Derived indexes.
    private final TreeMap<String, TreeMap<Long, MutableTask>> readyByType = new TreeMap<>();
    private final TreeMap<DueKey, MutableTask> delayed = new TreeMap<>();
    private final TreeMap<DueKey, MutableTask> leasesByExpiry = new TreeMap<>();
    private final HashMap<String, Integer> leasedByConcurrencyKey = new HashMap<>();

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
    public PollRecord lastPoll(String workerId) {
        return polls.get(workerId);
    }

    public NavigableMap<String, PollRecord> polls() {
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
    public List<TaskState> leasesDueBy(long now) {
        List<TaskState> due = new ArrayList<>();
        for (Map.Entry<DueKey, MutableTask> e : leasesByExpiry.entrySet()) {
            if (e.getKey().at() > now) {
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
        List<Iterator<MutableTask>> sources = new ArrayList<>();
        for (String type : new TreeSet<>(taskTypes)) {
            TreeMap<Long, MutableTask> queue = readyByType.get(type);
            if (queue != null && !queue.isEmpty()) {
                sources.add(queue.values().iterator());
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

    /** Records that the command at this log index has been applied. */
    public void markApplied(long index) {
        lastAppliedIndex = Math.max(lastAppliedIndex, index);
    }

    // ---- index maintenance (called by the applier, by the engine before leasing, and by snapshot load) ----

    /** Moves READY tasks whose backoff ended at or before {@code now} into their ready queues. */
    public void promoteDue(long now) {
        while (!delayed.isEmpty() && delayed.firstKey().at() <= now) {
            MutableTask task = delayed.pollFirstEntry().getValue();
            enqueueReady(task);
        }
    }

    void addDefinition(WorkflowDefinition definition, DagPlan plan) {
        definitions.computeIfAbsent(definition.name(), n -> new TreeMap<>())
                .put(definition.version(), new RegisteredDefinition(definition, plan));
    }

    void addWorkflow(MutableWorkflow workflow) {
        workflows.put(workflow.id(), workflow);
        workflowsById.put(workflow.id(), workflow);
        if (workflow.idempotencyKey() != null) {
            workflowIdsByKey.put(workflow.idempotencyKey(), workflow.id());
        }
    }

    void recordPoll(String workerId, PollRecord record) {
        polls.put(workerId, record);
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

    /** Rebuilds every derived index from task states, after a snapshot load. */
    void rebuildIndexes() {
        readyByType.clear();
        delayed.clear();
        leasesByExpiry.clear();
        leasedByConcurrencyKey.clear();
        for (MutableWorkflow workflow : workflows.values()) {
            for (MutableTask task : workflow.tasks()) {
                if (task.status == TaskStatus.READY) {
                    delayed.put(new DueKey(task.notBefore, task.readySeq), task);
                } else if (task.status == TaskStatus.LEASED) {
                    indexLease(task);
                }
            }
        }
    }
}
