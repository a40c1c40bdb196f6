package io.flowraft.coordinator.raft;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.DefinitionRegistered;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.codec.BinaryReader;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.CodecException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes command results for the answer a leader sends back to the follower that forwarded the command.
 * Only nodes of one cluster read it, but a rolling upgrade mixes versions, so it is versioned like the log.
 */
final class ResultCodec {

    private static final int VERSION = 1;
    private static final ProblemType[] PROBLEMS = ProblemType.values();
    private static final TaskStatus[] TASK_STATUSES = TaskStatus.values();

    private ResultCodec() {
    }

    static byte[] encode(CommandResult result) {
        BinaryWriter out = new BinaryWriter(64);
        out.writeByte(VERSION);
        switch (result) {
            case Rejection r -> out.writeByte(0).writeString(r.type().name()).writeString(r.field()).writeString(r.message());
            case DefinitionRegistered r -> out.writeByte(1).writeString(r.name()).writeInt(r.version()).writeBoolean(r.created());
            case WorkflowSubmitted r -> out.writeByte(2).writeString(r.workflowId()).writeBoolean(r.created());
            case LeasesGranted r -> {
                out.writeByte(3).writeBoolean(r.replayed()).writeInt(r.leases().size());
                for (GrantedLease l : r.leases()) {
                    out.writeString(l.leaseId()).writeString(l.workflowId()).writeString(l.taskId()).writeString(l.type())
                            .writeInt(l.attempt()).writeString(l.input()).writeString(l.idempotencyKey())
                            .writeLong(l.expiresAt());
                }
            }
            case TaskReported r -> out.writeByte(4).writeString(r.leaseId()).writeString(r.workflowId())
                    .writeString(r.taskId()).writeByte(r.taskStatus().ordinal()).writeBoolean(r.duplicate());
            case LeaseExtended r -> out.writeByte(5).writeString(r.leaseId()).writeLong(r.expiresAt());
            case LeasesExpired r -> out.writeByte(6).writeInt(r.expired());
            case WorkflowCancelled r -> out.writeByte(7).writeString(r.workflowId()).writeBoolean(r.alreadyCancelled());
        }
        return out.toByteArray();
    }

    static CommandResult decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        if (in.readByte() != VERSION) {
            throw new CodecException("Unknown result format");
        }
        int tag = in.readByte();
        CommandResult result = switch (tag) {
            case 0 -> new Rejection(problem(in.readString()), in.readString(), in.readString());
            case 1 -> new DefinitionRegistered(in.readString(), in.readInt(), in.readBoolean());
            case 2 -> new WorkflowSubmitted(in.readString(), in.readBoolean());
            case 3 -> {
                boolean replayed = in.readBoolean();
                int count = in.readCount(4);
                List<GrantedLease> leases = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    leases.add(new GrantedLease(in.readString(), in.readString(), in.readString(), in.readString(),
                            in.readInt(), in.readString(), in.readString(), in.readLong()));
                }
                yield new LeasesGranted(leases, replayed);
            }
            case 4 -> new TaskReported(in.readString(), in.readString(), in.readString(), TASK_STATUSES[in.readByte()],
                    in.readBoolean());
            case 5 -> new LeaseExtended(in.readString(), in.readLong());
            case 6 -> new LeasesExpired(in.readInt());
            case 7 -> new WorkflowCancelled(in.readString(), in.readBoolean());
            default -> throw new CodecException("Unknown result tag " + tag);
        };
        in.expectEnd();
        return result;
    }

    private static ProblemType problem(String name) {
        for (ProblemType p : PROBLEMS) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return ProblemType.INTERNAL;
    }
}
