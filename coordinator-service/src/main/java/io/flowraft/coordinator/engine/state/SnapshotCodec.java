package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.codec.BinaryReader;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.Codes;
import io.flowraft.coordinator.engine.codec.ModelCodec;
import io.flowraft.coordinator.engine.codec.UnsupportedFormatException;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The canonical encoding of the whole state: the snapshot. Everything is written in a defined order (ids
 * sorted, tasks in spec order, history in log order), so two replicas with the same logical state produce the
 * same bytes. Derived indexes, byte counts and the digest are not written; they are rebuilt on load. Each kind
 * of record has one writer, which the state digest hashes too ({@link StateDigest}).
 *
 * <p>Versioned. Version 2 added the engine limits and the poller of poll records; version 3 retention, the
 * cluster's name, the export position, the poll sweep's place and the kept keys of evicted workflows; version 4
 * the principal each lease is bound to (its owner) and the task types' settings with their dispatch buckets; version 5
 * each workflow's trace context (its submit's {@code traceparent}). Older
 * snapshots still load (with the defaults for what they lack: a lease of a version 3 snapshot has no owner, and
 * accepts reports from any caller, as it did when it was granted). A version newer than
 * this code knows is refused with an {@link UnsupportedFormatException}: the node must be upgraded.
 */
public final class SnapshotCodec {

    public static final int MAGIC = 0x46525331; // "FRS1"
    public static final int FORMAT_VERSION = 5;
    /** Where the applied index sits: right after the magic and the version. */
    public static final int APPLIED_INDEX_OFFSET = 8;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private SnapshotCodec() {
    }

    public static byte[] encode(EngineState state) {
        // Sized once from the byte count, which exceeds the encoding: growing by doubling would hold up to twice it.
        BinaryWriter out = new BinaryWriter((int) Math.min(Math.max(state.heldBytes(), 64 * 1024), MAX_ARRAY));
        out.writeInt(MAGIC).writeInt(FORMAT_VERSION);
        out.writeLong(state.lastAppliedIndex).writeLong(state.lastFencingToken).writeLong(state.lastReadySeq);
        out.writeBoolean(state.limitsConfigured());
        writeLimits(out, state.limits());
        int definitions = state.definitions().values().stream().mapToInt(Map::size).sum();
        out.writeInt(definitions);
        for (NavigableMap<Integer, RegisteredDefinition> versions : state.definitions().values()) {
            for (RegisteredDefinition registered : versions.values()) {
                writeDefinition(out, registered.definition());
            }
        }
        out.writeInt(state.workflows().size());
        for (MutableWorkflow workflow : state.workflows().values()) {
            writeWorkflowHeader(out, workflow);
            out.writeString(workflow.traceParent());
            for (MutableTask task : workflow.tasks()) {
                writeTask(out, task);
                out.writeString(task.leaseOwner);
            }
            out.writeInt(workflow.history().size());
            for (HistoryEntry entry : workflow.history()) {
                writeHistoryEntry(out, entry);
            }
        }
        out.writeInt(state.polls().size());
        for (Map.Entry<PollerKey, PollRecord> poll : state.polls().entrySet()) {
            writePoll(out, poll.getKey(), poll.getValue());
        }
        writeHistoryState(out, state);
        out.writeInt(state.evictedKeys().size());
        for (EvictedKey key : state.evictedKeys().values()) {
            writeEvictedKey(out, key);
        }
        out.writeInt(state.taskTypes().size());
        for (TaskTypeSettings type : state.taskTypes().values()) {
            writeTaskType(out, type);
        }
        return out.toByteArray();
    }

    /**
     * @throws UnsupportedFormatException when the snapshot is of a newer version than this code reads
     * @throws CodecException when the bytes are not a snapshot, or a corrupt one
     */
    public static EngineState decode(byte[] bytes) {
        try {
            return decodeChecked(bytes);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) { // a structurally valid but inconsistent snapshot (unknown dependency, ...)
            throw new CodecException("Corrupt snapshot: " + e);
        }
    }

    private static EngineState decodeChecked(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        if (in.readInt() != MAGIC) {
            throw new CodecException("Not a FlowRaft engine snapshot");
        }
        int version = in.readInt();
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatException("snapshot format", version, FORMAT_VERSION);
        }
        if (version < 1) {
            throw new CodecException("Unknown snapshot format version " + version);
        }
        long appliedIndex = in.readLong();
        long fencingToken = in.readLong();
        long readySeq = in.readLong();
        boolean configured = version >= 2 && in.readBoolean();
        EngineLimits limits = version >= 2 ? readLimits(in) : EngineLimits.DEFAULT;
        EngineState state = new EngineState(limits);
        state.loadLimits(limits, configured);
        state.lastAppliedIndex = appliedIndex;
        state.lastFencingToken = fencingToken;
        state.lastReadySeq = readySeq;
        int definitions = in.readCount(12);
        for (int i = 0; i < definitions; i++) {
            String name = in.readString();
            int defVersion = in.readInt();
            long registeredAt = in.readLong();
            List<TaskSpec> tasks = ModelCodec.readTasks(in);
            state.addDefinition(new WorkflowDefinition(name, defVersion, tasks, registeredAt), DagPlan.ofValidated(tasks));
        }
        int workflows = in.readCount(16);
        for (int i = 0; i < workflows; i++) {
            state.addWorkflow(readWorkflow(in, state, version));
        }
        int polls = in.readCount(12);
        for (int i = 0; i < polls; i++) {
            String workerId = in.readString();
            String poller = version >= 2 ? in.readString() : "";
            state.recordPoll(new PollerKey(workerId, poller), new PollRecord(in.readString(), in.readStrings()));
        }
        if (version >= 3) {
            Retention retention = readRetention(in);
            String clusterId = in.readString();
            long exportedThrough = in.readLong();
            PollerKey sweep = in.readBoolean() ? new PollerKey(in.readString(), in.readString()) : null;
            int keys = in.readCount(20);
            List<EvictedKey> evicted = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                evicted.add(new EvictedKey(in.readString(), in.readString(), in.readString(), in.readLong()));
            }
            state.loadHistoryState(retention, clusterId, exportedThrough, sweep, evicted);
        }
        if (version >= 4) {
            int types = in.readCount(30);
            List<TaskTypeSettings> loaded = new ArrayList<>(types);
            for (int i = 0; i < types; i++) {
                loaded.add(readTaskType(in));
            }
            state.loadTaskTypes(loaded);
        }
        in.expectEnd();
        state.rebuildDerived();
        return state;
    }

    static void writeLimits(BinaryWriter out, EngineLimits limits) {
        out.writeInt(limits.maxTasks()).writeInt(limits.maxPayloadBytes()).writeInt(limits.maxDependencies())
                .writeInt(limits.maxErrorBytes()).writeInt(limits.maxTaskTypesPerPoll()).writeInt(limits.maxLeasesPerPoll())
                .writeLong(limits.maxWorkflowBytes()).writeLong(limits.maxStateBytes());
    }

    /** Retention, the cluster's name, the export position and the poll sweep's place. */
    static void writeHistoryState(BinaryWriter out, EngineReadState state) {
        out.writeLong(state.retention().finishedAfterMs()).writeLong(state.retention().idempotencyKeysMs());
        out.writeString(state.clusterId()).writeLong(state.exportedThrough());
        PollerKey sweep = state.pollSweepAfter();
        out.writeBoolean(sweep != null);
        if (sweep != null) {
            out.writeString(sweep.workerId()).writeString(sweep.poller());
        }
    }

    private static Retention readRetention(BinaryReader in) {
        try {
            return new Retention(in.readLong(), in.readLong());
        } catch (IllegalArgumentException e) {
            throw new CodecException("Corrupt retention: " + e.getMessage());
        }
    }

    /** A task type's settings; a type without a rate limit has no settings and is not written. */
    static void writeTaskType(BinaryWriter out, TaskTypeSettings type) {
        out.writeString(type.type()).writeLong(type.rateLimit().milliPerSecond()).writeLong(type.tokens())
                .writeLong(type.refilledAt());
    }

    private static TaskTypeSettings readTaskType(BinaryReader in) {
        String type = in.readString();
        long milliPerSecond = in.readLong();
        if (type == null || !RateLimit.isValid(milliPerSecond)) {
            throw new CodecException("Corrupt task type settings of '" + type + "': rate " + milliPerSecond);
        }
        return new TaskTypeSettings(type, new RateLimit(milliPerSecond), in.readLong(), in.readLong());
    }

    static void writeEvictedKey(BinaryWriter out, EvictedKey key) {
        out.writeString(key.idempotencyKey()).writeString(key.workflowId()).writeString(key.fingerprint())
                .writeLong(key.createdAt());
    }

    private static EngineLimits readLimits(BinaryReader in) {
        try {
            return new EngineLimits(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readLong(), in.readLong());
        } catch (IllegalArgumentException e) {
            throw new CodecException("Corrupt engine limits: " + e.getMessage());
        }
    }

    static void writeDefinition(BinaryWriter out, WorkflowDefinition definition) {
        out.writeString(definition.name()).writeInt(definition.version()).writeLong(definition.registeredAt());
        ModelCodec.writeTasks(out, definition.tasks());
    }

    /** A workflow's own fields: everything but its tasks and history. */
    static void writeWorkflowHeader(BinaryWriter out, MutableWorkflow w) {
        out.writeString(w.id()).writeString(w.definitionRef());
        if (w.definitionRef() == null) {
            ModelCodec.writeTasks(out, w.plan().tasks());
        }
        out.writeString(w.input()).writeLong(w.createdAt()).writeString(w.idempotencyKey()).writeString(w.fingerprint());
        out.writeByte(Codes.of(w.status)).writeLong(w.finishedAt);
    }

    static void writeTask(BinaryWriter out, MutableTask t) {
        out.writeByte(Codes.of(t.status)).writeInt(t.attempt);
        out.writeString(t.input).writeString(t.output).writeString(t.error);
        out.writeLong(t.fencingToken).writeString(t.leaseWorker);
        out.writeLong(t.leaseExpiresAt).writeLong(t.leaseDeadline).writeLong(t.leaseMs);
        out.writeLong(t.notBefore).writeLong(t.readySeq).writeLong(t.readyAt).writeLong(t.finishedAt);
    }

    static void writeHistoryEntry(BinaryWriter out, HistoryEntry h) {
        out.writeLong(h.index()).writeLong(h.at()).writeByte(Codes.of(h.kind())).writeString(h.taskId());
        out.writeInt(h.attempt()).writeLong(h.fencingToken()).writeString(h.detail());
    }

    static void writePoll(BinaryWriter out, PollerKey key, PollRecord poll) {
        out.writeString(key.workerId()).writeString(key.poller()).writeString(poll.pollId()).writeStrings(poll.leaseIds());
    }

    private static MutableWorkflow readWorkflow(BinaryReader in, EngineState state, int version) {
        String id = in.readString();
        String definitionRef = in.readString();
        DagPlan plan;
        if (definitionRef == null) {
            plan = DagPlan.ofValidated(ModelCodec.readTasks(in));
        } else {
            int at = definitionRef.lastIndexOf('@');
            RegisteredDefinition definition = at < 0 ? null
                    : state.definition(definitionRef.substring(0, at), parseVersion(definitionRef.substring(at + 1)));
            if (definition == null) {
                throw new CodecException("Workflow '" + id + "' refers to unknown definition " + definitionRef);
            }
            plan = definition.plan();
        }
        String input = in.readString();
        long createdAt = in.readLong();
        String idempotencyKey = in.readString();
        String fingerprint = in.readString();
        WorkflowStatus status = Codes.workflowStatus(in.readByte());
        long finishedAt = in.readLong();
        String traceParent = version >= 5 ? in.readString() : null;
        MutableWorkflow w = new MutableWorkflow(id, definitionRef, plan, input, createdAt, idempotencyKey, fingerprint,
                traceParent);
        w.status = status;
        w.finishedAt = finishedAt;
        int unfinished = 0;
        for (MutableTask t : w.tasks()) {
            t.status = Codes.taskStatus(in.readByte());
            t.attempt = in.readInt();
            t.input = in.readString();
            t.output = in.readString();
            t.error = in.readString();
            t.fencingToken = in.readLong();
            t.leaseWorker = in.readString();
            t.leaseExpiresAt = in.readLong();
            t.leaseDeadline = in.readLong();
            t.leaseMs = in.readLong();
            t.notBefore = in.readLong();
            t.readySeq = in.readLong();
            t.readyAt = in.readLong();
            t.finishedAt = in.readLong();
            t.leaseOwner = version >= 4 ? in.readString() : null;
            if (!t.status.isTerminal()) {
                unfinished++;
            }
        }
        w.unfinished = unfinished;
        int history = in.readCount(37);
        for (int i = 0; i < history; i++) {
            w.record(new HistoryEntry(in.readLong(), in.readLong(), Codes.historyKind(in.readByte()),
                    in.readString(), in.readInt(), in.readLong(), in.readString()));
        }
        return w;
    }

    private static int parseVersion(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new CodecException("Bad definition version '" + text + "'");
        }
    }
}
