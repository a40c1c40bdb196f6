package io.flowraft.coordinator.engine.state;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.codec.BinaryReader;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.ModelCodec;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The canonical encoding of the whole state, used both as the snapshot and as the input of the state
 * digest. Everything is written in a defined order (ids sorted, tasks in spec order, history in log order),
 * so two replicas with the same logical state produce the same bytes. Derived indexes are not written;
 * they are rebuilt on load. Versioned: a reader refuses a version it does not know.
 */
public final class SnapshotCodec {

    public static final int MAGIC = 0x46525331; // "FRS1"
    public static final int FORMAT_VERSION = 1;
    /** Where the applied index sits: right after the magic and the version. */
    public static final int APPLIED_INDEX_OFFSET = 8;

    private static final TaskStatus[] TASK_STATUSES = TaskStatus.values();
    private static final WorkflowStatus[] WORKFLOW_STATUSES = WorkflowStatus.values();
    private static final HistoryKind[] HISTORY_KINDS = HistoryKind.values();

    private SnapshotCodec() {
    }

    public static byte[] encode(EngineState state) {
        BinaryWriter out = new BinaryWriter(64 * 1024);
        out.writeInt(MAGIC).writeInt(FORMAT_VERSION);
        out.writeLong(state.lastAppliedIndex).writeLong(state.lastFencingToken).writeLong(state.lastReadySeq);
        writeDefinitions(out, state.definitions());
        out.writeInt(state.workflows().size());
        for (MutableWorkflow workflow : state.workflows().values()) {
            writeWorkflow(out, workflow);
        }
        out.writeInt(state.polls().size());
        for (Map.Entry<String, PollRecord> poll : state.polls().entrySet()) {
            out.writeString(poll.getKey()).writeString(poll.getValue().pollId()).writeStrings(poll.getValue().leaseIds());
        }
        return out.toByteArray();
    }

    /** @throws CodecException when the bytes are not a snapshot of a known version */
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
        if (version != FORMAT_VERSION) {
            throw new CodecException("Unknown snapshot format version " + version);
        }
        EngineState state = new EngineState();
        state.lastAppliedIndex = in.readLong();
        state.lastFencingToken = in.readLong();
        state.lastReadySeq = in.readLong();
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
            state.addWorkflow(readWorkflow(in, state));
        }
        int polls = in.readCount(12);
        for (int i = 0; i < polls; i++) {
            state.recordPoll(in.readString(), new PollRecord(in.readString(), in.readStrings()));
        }
        in.expectEnd();
        state.rebuildIndexes();
        return state;
    }

    private static void writeDefinitions(BinaryWriter out,
            NavigableMap<String, NavigableMap<Integer, RegisteredDefinition>> definitions) {
        int count = definitions.values().stream().mapToInt(Map::size).sum();
        out.writeInt(count);
        for (NavigableMap<Integer, RegisteredDefinition> versions : definitions.values()) {
            for (RegisteredDefinition registered : versions.values()) {
                WorkflowDefinition d = registered.definition();
                out.writeString(d.name()).writeInt(d.version()).writeLong(d.registeredAt());
                ModelCodec.writeTasks(out, d.tasks());
            }
        }
    }

    private static void writeWorkflow(BinaryWriter out, MutableWorkflow w) {
        out.writeString(w.id()).writeString(w.definitionRef());
        if (w.definitionRef() == null) {
            ModelCodec.writeTasks(out, w.plan().tasks());
        }
        out.writeString(w.input()).writeLong(w.createdAt()).writeString(w.idempotencyKey()).writeString(w.fingerprint());
        out.writeByte(w.status.ordinal()).writeLong(w.finishedAt);
        for (MutableTask t : w.tasks()) {
            out.writeByte(t.status.ordinal()).writeInt(t.attempt);
            out.writeString(t.input).writeString(t.output).writeString(t.error);
            out.writeLong(t.fencingToken).writeString(t.leaseWorker);
            out.writeLong(t.leaseExpiresAt).writeLong(t.leaseDeadline).writeLong(t.leaseMs);
            out.writeLong(t.notBefore).writeLong(t.readySeq).writeLong(t.readyAt).writeLong(t.finishedAt);
        }
        out.writeInt(w.history().size());
        for (HistoryEntry h : w.history()) {
            out.writeLong(h.index()).writeLong(h.at()).writeByte(h.kind().ordinal()).writeString(h.taskId());
            out.writeInt(h.attempt()).writeLong(h.fencingToken()).writeString(h.detail());
        }
    }

    private static MutableWorkflow readWorkflow(BinaryReader in, EngineState state) {
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
        MutableWorkflow w = new MutableWorkflow(id, definitionRef, plan, in.readString(), in.readLong(), in.readString(),
                in.readString());
        w.status = WORKFLOW_STATUSES[ordinal(in.readByte(), WORKFLOW_STATUSES.length)];
        w.finishedAt = in.readLong();
        int unfinished = 0;
        for (MutableTask t : w.tasks()) {
            t.status = TASK_STATUSES[ordinal(in.readByte(), TASK_STATUSES.length)];
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
            if (!t.status.isTerminal()) {
                unfinished++;
            }
        }
        w.unfinished = unfinished;
        int history = in.readCount(37);
        for (int i = 0; i < history; i++) {
            w.record(new HistoryEntry(in.readLong(), in.readLong(), HISTORY_KINDS[ordinal(in.readByte(), HISTORY_KINDS.length)],
                    in.readString(), in.readInt(), in.readLong(), in.readString()));
        }
        return w;
    }

    private static int ordinal(int value, int count) {
        if (value >= count) {
            throw new CodecException("Enum ordinal " + value + " out of range " + count);
        }
        return value;
    }

    private static int parseVersion(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new CodecException("Bad definition version '" + text + "'");
        }
    }
}
