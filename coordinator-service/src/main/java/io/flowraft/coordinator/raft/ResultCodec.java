package io.flowraft.coordinator.raft;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.DefinitionRegistered;
import io.flowraft.coordinator.engine.CommandResult.ExportPosition;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.LimitsSet;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.RetentionApplied;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.CommandResult.TaskTypeConfigured;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.codec.BinaryReader;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.Codes;
import io.flowraft.coordinator.engine.codec.UnsupportedFormatException;
import io.flowraft.coordinator.engine.model.RateLimit;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes command results for the answer a leader sends back to the follower that forwarded the command.
 * Only nodes of one cluster read it, but a rolling upgrade mixes versions, so it is versioned like the log and
 * its enums are written as frozen {@link Codes}. Version 2 added the remaining lease time and {@code LimitsSet};
 * version 3 the trace context of each lease. Answers of versions 1 and 2 (an older leader's) still decode.
 */
final class ResultCodec {

    private static final int VERSION = 3;

    private static final int REJECTION = 0;
    private static final int DEFINITION_REGISTERED = 1;
    private static final int WORKFLOW_SUBMITTED = 2;
    private static final int LEASES_GRANTED = 3;
    private static final int TASK_REPORTED = 4;
    private static final int LEASE_EXTENDED = 5;
    private static final int LEASES_EXPIRED = 6;
    private static final int WORKFLOW_CANCELLED = 7;
    private static final int LIMITS_SET = 8;
    private static final int EXPORT_POSITION = 9;
    private static final int RETENTION_APPLIED = 10;
    /** Added without a version bump: only a node that proposes {@code ConfigureTaskType} receives it. */
    private static final int TASK_TYPE_CONFIGURED = 11;

    private ResultCodec() {
    }

    static byte[] encode(CommandResult result) {
        BinaryWriter out = new BinaryWriter(64);
        out.writeByte(VERSION);
        switch (result) {
            case Rejection r -> out.writeByte(REJECTION).writeByte(Codes.of(r.type())).writeString(r.field())
                    .writeString(r.message());
            case DefinitionRegistered r -> out.writeByte(DEFINITION_REGISTERED).writeString(r.name()).writeInt(r.version())
                    .writeBoolean(r.created());
            case WorkflowSubmitted r -> out.writeByte(WORKFLOW_SUBMITTED).writeString(r.workflowId()).writeBoolean(r.created());
            case LeasesGranted r -> {
                out.writeByte(LEASES_GRANTED).writeBoolean(r.replayed()).writeInt(r.leases().size());
                for (GrantedLease l : r.leases()) {
                    out.writeString(l.leaseId()).writeString(l.workflowId()).writeString(l.taskId()).writeString(l.type())
                            .writeInt(l.attempt()).writeString(l.input()).writeString(l.idempotencyKey())
                            .writeLong(l.expiresAt()).writeLong(l.remainingMs()).writeString(l.traceParent());
                }
            }
            case TaskReported r -> out.writeByte(TASK_REPORTED).writeString(r.leaseId()).writeString(r.workflowId())
                    .writeString(r.taskId()).writeByte(Codes.of(r.taskStatus())).writeBoolean(r.duplicate());
            case LeaseExtended r -> out.writeByte(LEASE_EXTENDED).writeString(r.leaseId()).writeLong(r.expiresAt())
                    .writeLong(r.remainingMs());
            case LeasesExpired r -> out.writeByte(LEASES_EXPIRED).writeInt(r.expired());
            case WorkflowCancelled r -> out.writeByte(WORKFLOW_CANCELLED).writeString(r.workflowId())
                    .writeBoolean(r.alreadyCancelled());
            case ExportPosition r -> out.writeByte(EXPORT_POSITION).writeLong(r.exportedThrough());
            case RetentionApplied r -> out.writeByte(RETENTION_APPLIED).writeInt(r.workflowsEvicted())
                    .writeInt(r.keysExpired()).writeInt(r.pollRecordsDropped());
            case TaskTypeConfigured r -> {
                out.writeByte(TASK_TYPE_CONFIGURED).writeString(r.type()).writeBoolean(r.changed())
                        .writeBoolean(r.rateLimit() != null);
                if (r.rateLimit() != null) {
                    out.writeLong(r.rateLimit().milliPerSecond());
                }
            }
            case LimitsSet r -> {
                EngineLimits l = r.limits();
                out.writeByte(LIMITS_SET).writeBoolean(r.changed()).writeInt(l.maxTasks()).writeInt(l.maxPayloadBytes())
                        .writeInt(l.maxDependencies()).writeInt(l.maxErrorBytes()).writeInt(l.maxTaskTypesPerPoll())
                        .writeInt(l.maxLeasesPerPoll()).writeLong(l.maxWorkflowBytes()).writeLong(l.maxStateBytes());
            }
        }
        return out.toByteArray();
    }

    static CommandResult decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version > VERSION) {
            throw new UnsupportedFormatException("forwarded result format", version, VERSION);
        }
        if (version < 1) {
            throw new CodecException("Unknown result format " + version);
        }
        boolean v1 = version == 1;
        int tag = in.readByte();
        CommandResult result = switch (tag) {
            case REJECTION -> new Rejection(v1 ? problemNamed(in.readString()) : Codes.problemType(in.readByte()),
                    in.readString(), in.readString());
            case DEFINITION_REGISTERED -> new DefinitionRegistered(in.readString(), in.readInt(), in.readBoolean());
            case WORKFLOW_SUBMITTED -> new WorkflowSubmitted(in.readString(), in.readBoolean());
            case LEASES_GRANTED -> {
                boolean replayed = in.readBoolean();
                int count = in.readCount(4);
                List<GrantedLease> leases = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String leaseId = in.readString();
                    String workflowId = in.readString();
                    String taskId = in.readString();
                    String type = in.readString();
                    int attempt = in.readInt();
                    String input = in.readString();
                    String key = in.readString();
                    long expiresAt = in.readLong();
                    long remainingMs = v1 ? -1 : in.readLong();
                    String traceParent = version >= 3 ? in.readString() : null;
                    leases.add(new GrantedLease(leaseId, workflowId, taskId, type, attempt, input, key, expiresAt,
                            remainingMs, traceParent));
                }
                yield new LeasesGranted(leases, replayed);
            }
            case TASK_REPORTED -> new TaskReported(in.readString(), in.readString(), in.readString(),
                    Codes.taskStatus(in.readByte()), in.readBoolean());
            case LEASE_EXTENDED -> new LeaseExtended(in.readString(), in.readLong(), v1 ? -1 : in.readLong());
            case LEASES_EXPIRED -> new LeasesExpired(in.readInt());
            case WORKFLOW_CANCELLED -> new WorkflowCancelled(in.readString(), in.readBoolean());
            case LIMITS_SET -> {
                boolean changed = in.readBoolean();
                yield new LimitsSet(new EngineLimits(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                        in.readInt(), in.readLong(), in.readLong()), changed);
            }
            case EXPORT_POSITION -> new ExportPosition(in.readLong());
            case RETENTION_APPLIED -> new RetentionApplied(in.readInt(), in.readInt(), in.readInt());
            case TASK_TYPE_CONFIGURED -> {
                String type = in.readString();
                boolean changed = in.readBoolean();
                yield new TaskTypeConfigured(type, in.readBoolean() ? new RateLimit(in.readLong()) : null, changed);
            }
            default -> throw new UnsupportedFormatException("forwarded result tag", tag, TASK_TYPE_CONFIGURED);
        };
        in.expectEnd();
        return result;
    }

    /** Version 1 wrote problem types by name. */
    private static ProblemType problemNamed(String name) {
        for (ProblemType p : ProblemType.values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return ProblemType.INTERNAL;
    }
}
