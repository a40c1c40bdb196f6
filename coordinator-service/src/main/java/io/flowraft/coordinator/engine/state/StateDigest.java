package io.flowraft.coordinator.engine.state;

import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.Sha256;
import io.flowraft.coordinator.engine.state.EngineReadState.PollRecord;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The state digest, kept up to date as the state changes instead of being computed from the whole state when
 * asked: reading it costs nothing however large the state is, and applying a command costs one hash per
 * record it changed.
 *
 * <p>The state is seen as a set of records (a definition, a workflow's own fields, a task, a history line, a
 * poll record, a task type's settings), each encoded exactly as the snapshot writes it, together with where it sits (workflow id,
 * position). The digest is the sum, lane by lane modulo 2<sup>64</sup>, of the first 128 bits of each record's
 * SHA-256 (an additive multiset hash): replacing a record subtracts its old hash and adds its new one, and the
 * order records were added in does not matter, so replicas that hold the same records agree however they got
 * there, and a snapshot load that hashes every record from scratch gives the same sum as the commands that built
 * the state. What {@link #hex} reports also covers the counters and limits, which are hashed when read.
 *
 * <p>Used only by the thread that applies commands (or that loads a snapshot), like the state itself.
 */
final class StateDigest {

    private static final int DEFINITION = 1;
    private static final int WORKFLOW = 2;
    private static final int TASK = 3;
    private static final int HISTORY = 4;
    private static final int POLL = 5;
    private static final int EVICTED_KEY = 6;
    private static final int TASK_TYPE = 7;

    private final MessageDigest sha = Sha256.digest();
    private final BinaryWriter record = new BinaryWriter(1024);
    private long lane0;
    private long lane1;
    private long last0;
    private long last1;

    void addDefinition(RegisteredDefinition definition) {
        hash(DEFINITION, out -> SnapshotCodec.writeDefinition(out, definition.definition()));
        add(last0, last1);
    }

    /** Replaces the workflow's own record (status, finish time...) by its current content. */
    void updateWorkflow(MutableWorkflow workflow) {
        add(-workflow.headerHash0, -workflow.headerHash1);
        hash(WORKFLOW, out -> {
            SnapshotCodec.writeWorkflowHeader(out, workflow);
            // Only a traced workflow adds its trace context: one of a log written before traces keeps its hash.
            if (workflow.traceParent() != null) {
                out.writeString(workflow.traceParent());
            }
        });
        workflow.headerHash0 = last0;
        workflow.headerHash1 = last1;
        add(last0, last1);
    }

    /** Replaces the task's record by its current content. */
    void updateTask(MutableTask task) {
        add(-task.hash0, -task.hash1);
        hash(TASK, out -> {
            out.writeString(task.workflow().id()).writeInt(task.position());
            SnapshotCodec.writeTask(out, task);
            // Only an owned lease adds its owner: a task of a log written before owners keeps the hash it had.
            if (task.leaseOwner != null) {
                out.writeString(task.leaseOwner);
            }
        });
        task.hash0 = last0;
        task.hash1 = last1;
        add(last0, last1);
    }

    /** History lines are only ever appended: each is hashed once, when it is committed. */
    void addHistory(MutableWorkflow workflow, int position) {
        hashHistory(workflow, position);
        add(last0, last1);
    }

    private void hashHistory(MutableWorkflow workflow, int position) {
        HistoryEntry entry = workflow.history().get(position);
        hash(HISTORY, out -> {
            out.writeString(workflow.id()).writeInt(position);
            SnapshotCodec.writeHistoryEntry(out, entry);
        });
    }

    /** Takes every record of a workflow that leaves the state out of the sum. */
    void removeWorkflow(MutableWorkflow workflow) {
        add(-workflow.headerHash0, -workflow.headerHash1);
        for (MutableTask task : workflow.tasks()) {
            add(-task.hash0, -task.hash1);
        }
        for (int i = 0; i < workflow.history().size(); i++) {
            hashHistory(workflow, i);
            add(-last0, -last1);
        }
    }

    void addEvictedKey(EvictedKey key) {
        hash(EVICTED_KEY, out -> SnapshotCodec.writeEvictedKey(out, key));
        add(last0, last1);
    }

    void removeEvictedKey(EvictedKey key) {
        hash(EVICTED_KEY, out -> SnapshotCodec.writeEvictedKey(out, key));
        add(-last0, -last1);
    }

    void addTaskType(TaskTypeSettings settings) {
        hash(TASK_TYPE, out -> SnapshotCodec.writeTaskType(out, settings));
        add(last0, last1);
    }

    void removeTaskType(TaskTypeSettings settings) {
        hash(TASK_TYPE, out -> SnapshotCodec.writeTaskType(out, settings));
        add(-last0, -last1);
    }

    void addPoll(PollerKey key, PollRecord poll) {
        hashPoll(key, poll);
        add(last0, last1);
    }

    void removePoll(PollerKey key, PollRecord poll) {
        hashPoll(key, poll);
        add(-last0, -last1);
    }

    /**
     * The digest as 64 hex digits: SHA-256 of the record sum, the counters and the limits. Leaves out the
     * applied index, so it is unchanged by commands that changed nothing (a repeated report, a rejection).
     */
    String hex(EngineState state) {
        BinaryWriter out = new BinaryWriter(128);
        out.writeLong(lane0).writeLong(lane1).writeLong(state.lastFencingToken).writeLong(state.lastReadySeq);
        out.writeBoolean(state.limitsConfigured());
        SnapshotCodec.writeLimits(out, state.limits());
        // Settings that came with retention count only once set: a state that never had them (one replayed from
        // a log written before they existed) keeps the digest it always had.
        if (!state.retention().equals(Retention.DEFAULT) || state.clusterId() != null || state.exportedThrough() != 0
                || state.pollSweepAfter() != null) {
            SnapshotCodec.writeHistoryState(out, state);
        }
        MessageDigest digest = Sha256.digest();
        out.digestInto(digest);
        return HexFormat.of().formatHex(digest.digest());
    }

    private void hashPoll(PollerKey key, PollRecord poll) {
        hash(POLL, out -> SnapshotCodec.writePoll(out, key, poll));
    }

    private void hash(int kind, Consumer<BinaryWriter> encoding) {
        record.reset().writeByte(kind);
        encoding.accept(record);
        sha.reset();
        record.digestInto(sha);
        byte[] digest = sha.digest();
        last0 = bytesToLong(digest, 0);
        last1 = bytesToLong(digest, 8);
    }

    private void add(long h0, long h1) {
        lane0 += h0;
        lane1 += h1;
    }

    private static long bytesToLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /** For tests: two digests over the same records are equal. */
    boolean sameSumAs(StateDigest other) {
        return lane0 == other.lane0 && lane1 == other.lane1;
    }
}
