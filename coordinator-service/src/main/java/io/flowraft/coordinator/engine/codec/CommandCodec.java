package io.flowraft.coordinator.engine.codec;

import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RateLimit;

/**
 * The log format of commands: a format version byte, a type tag byte, then the command's fields. Tags and
 * field order are frozen once released; a changed meaning gets a new tag, and old tags keep decoding
 * exactly as before so that old logs replay to the same state (the golden files under test resources prove
 * it). A tag or format version this code does not know was written by a newer FlowRaft: decoding fails with
 * {@link UnsupportedFormatException}, and the node must stop rather than skip it.
 */
public final class CommandCodec {

    public static final int FORMAT_VERSION = 1;

    private static final int REGISTER_DEFINITION = 1;
    private static final int SUBMIT_WORKFLOW = 2;
    private static final int LEASE_TASKS = 3;
    private static final int COMPLETE_TASK = 4;
    private static final int FAIL_TASK = 5;
    private static final int HEARTBEAT = 6;
    private static final int EXPIRE_LEASES = 7;
    private static final int CANCEL_WORKFLOW = 8;
    /** {@code LeaseTasks} with a poller; a poll without one is still written as {@link #LEASE_TASKS}. */
    private static final int LEASE_TASKS_BY_POLLER = 9;
    private static final int CONFIGURE_ENGINE = 10;
    /** {@code ConfigureEngine} with retention or a cluster name; one with neither is still written as tag 10. */
    private static final int CONFIGURE_ENGINE_WITH_RETENTION = 11;
    private static final int ACKNOWLEDGE_EXPORT = 12;
    private static final int APPLY_RETENTION = 13;
    /**
     * The report and poll commands with the principal that sent them (leases are bound to it). One without a
     * principal is still written under its older tag ({@link #LEASE_TASKS}, {@link #LEASE_TASKS_BY_POLLER},
     * {@link #COMPLETE_TASK}, {@link #FAIL_TASK}, {@link #HEARTBEAT}), which decodes with no principal.
     */
    private static final int LEASE_TASKS_BY_PRINCIPAL = 14;
    private static final int COMPLETE_TASK_BY_PRINCIPAL = 15;
    private static final int FAIL_TASK_BY_PRINCIPAL = 16;
    private static final int HEARTBEAT_BY_PRINCIPAL = 17;
    private static final int CONFIGURE_TASK_TYPE = 18;
    /** {@code SubmitWorkflow} with a trace context; one without is still written as {@link #SUBMIT_WORKFLOW}. */
    private static final int SUBMIT_WORKFLOW_TRACED = 19;
    /**
     * {@code LeaseTasks} that prefers the READY tasks of some workflows (the next poll of a report exchange): every
     * field of {@link #LEASE_TASKS_BY_PRINCIPAL} (principal possibly null), then the preferred workflow ids. One that
     * prefers none is still written under its older tag, which decodes with no preference.
     */
    private static final int LEASE_TASKS_PREFERRING = 20;
    private static final int NEWEST_TAG = LEASE_TASKS_PREFERRING;

    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        BinaryWriter out = new BinaryWriter(128);
        out.writeByte(FORMAT_VERSION);
        switch (command) {
            case ConfigureEngine c -> {
                boolean extended = c.retention() != null || c.clusterId() != null;
                out.writeByte(extended ? CONFIGURE_ENGINE_WITH_RETENTION : CONFIGURE_ENGINE).writeLong(c.now())
                        .writeBoolean(c.bootstrap());
                EngineLimits l = c.limits();
                out.writeInt(l.maxTasks()).writeInt(l.maxPayloadBytes()).writeInt(l.maxDependencies())
                        .writeInt(l.maxErrorBytes()).writeInt(l.maxTaskTypesPerPoll()).writeInt(l.maxLeasesPerPoll())
                        .writeLong(l.maxWorkflowBytes()).writeLong(l.maxStateBytes());
                if (extended) {
                    out.writeBoolean(c.retention() != null);
                    if (c.retention() != null) {
                        out.writeLong(c.retention().finishedAfterMs()).writeLong(c.retention().idempotencyKeysMs());
                    }
                    out.writeString(c.clusterId());
                }
            }
            case AcknowledgeExport c -> out.writeByte(ACKNOWLEDGE_EXPORT).writeLong(c.now()).writeLong(c.throughIndex());
            case ApplyRetention c -> out.writeByte(APPLY_RETENTION).writeLong(c.now());
            case RegisterDefinition c -> {
                out.writeByte(REGISTER_DEFINITION).writeLong(c.now()).writeString(c.name()).writeInt(c.version());
                ModelCodec.writeTasks(out, c.tasks());
            }
            case SubmitWorkflow c -> {
                out.writeByte(c.traceParent() != null ? SUBMIT_WORKFLOW_TRACED : SUBMIT_WORKFLOW).writeLong(c.now())
                        .writeString(c.workflowId()).writeString(c.idempotencyKey());
                ModelCodec.writeDefinitionRef(out, c.definition());
                ModelCodec.writeTasks(out, c.tasks());
                out.writeString(c.input());
                if (c.traceParent() != null) {
                    out.writeString(c.traceParent());
                }
            }
            case LeaseTasks c when !c.preferWorkflows().isEmpty() -> out.writeByte(LEASE_TASKS_PREFERRING)
                    .writeLong(c.now()).writeString(c.workerId()).writeString(c.poller()).writeStrings(c.taskTypes())
                    .writeInt(c.maxTasks()).writeLong(c.leaseMs()).writeString(c.pollId()).writeString(c.principal())
                    .writeStrings(c.preferWorkflows());
            case LeaseTasks c when c.principal() != null -> out.writeByte(LEASE_TASKS_BY_PRINCIPAL).writeLong(c.now())
                    .writeString(c.workerId()).writeString(c.poller()).writeStrings(c.taskTypes()).writeInt(c.maxTasks())
                    .writeLong(c.leaseMs()).writeString(c.pollId()).writeString(c.principal());
            case LeaseTasks c when c.poller() == null -> out.writeByte(LEASE_TASKS).writeLong(c.now())
                    .writeString(c.workerId()).writeStrings(c.taskTypes()).writeInt(c.maxTasks()).writeLong(c.leaseMs())
                    .writeString(c.pollId());
            case LeaseTasks c -> out.writeByte(LEASE_TASKS_BY_POLLER).writeLong(c.now()).writeString(c.workerId())
                    .writeString(c.poller()).writeStrings(c.taskTypes()).writeInt(c.maxTasks()).writeLong(c.leaseMs())
                    .writeString(c.pollId());
            case CompleteTask c when c.principal() != null -> out.writeByte(COMPLETE_TASK_BY_PRINCIPAL).writeLong(c.now())
                    .writeString(c.leaseId()).writeString(c.output()).writeString(c.principal());
            case FailTask c when c.principal() != null -> out.writeByte(FAIL_TASK_BY_PRINCIPAL).writeLong(c.now())
                    .writeString(c.leaseId()).writeString(c.error()).writeBoolean(c.retryable()).writeString(c.principal());
            case Heartbeat c when c.principal() != null -> out.writeByte(HEARTBEAT_BY_PRINCIPAL).writeLong(c.now())
                    .writeString(c.leaseId()).writeString(c.principal());
            case ConfigureTaskType c -> {
                out.writeByte(CONFIGURE_TASK_TYPE).writeLong(c.now()).writeString(c.type())
                        .writeBoolean(c.rateLimit() != null);
                if (c.rateLimit() != null) {
                    out.writeLong(c.rateLimit().milliPerSecond());
                }
            }
            case CompleteTask c -> out.writeByte(COMPLETE_TASK).writeLong(c.now()).writeString(c.leaseId())
                    .writeString(c.output());
            case FailTask c -> out.writeByte(FAIL_TASK).writeLong(c.now()).writeString(c.leaseId())
                    .writeString(c.error()).writeBoolean(c.retryable());
            case Heartbeat c -> out.writeByte(HEARTBEAT).writeLong(c.now()).writeString(c.leaseId());
            case ExpireLeases c -> out.writeByte(EXPIRE_LEASES).writeLong(c.now());
            case CancelWorkflow c -> out.writeByte(CANCEL_WORKFLOW).writeLong(c.now()).writeString(c.workflowId())
                    .writeString(c.reason());
        }
        return out.toByteArray();
    }

    /**
     * @throws UnsupportedFormatException when the command was written by a newer version (unknown format or tag)
     * @throws CodecException when the bytes are not a command
     */
    public static Command decode(byte[] bytes) {
        try {
            return decodeChecked(bytes);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) { // e.g. a null inside a list, refused by a record's constructor
            throw new CodecException("Corrupt command: " + e);
        }
    }

    private static Command decodeChecked(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatException("command format", version, FORMAT_VERSION);
        }
        int tag = in.readByte();
        if (tag < REGISTER_DEFINITION || tag > NEWEST_TAG) {
            throw new UnsupportedFormatException("command tag", tag, NEWEST_TAG);
        }
        long now = in.readLong();
        Command command = switch (tag) {
            case REGISTER_DEFINITION -> new RegisterDefinition(now, in.readString(), in.readInt(), ModelCodec.readTasks(in));
            case SUBMIT_WORKFLOW -> new SubmitWorkflow(now, in.readString(), in.readString(),
                    ModelCodec.readDefinitionRef(in), ModelCodec.readTasks(in), in.readString());
            case LEASE_TASKS -> new LeaseTasks(now, in.readString(), in.readStrings(), in.readInt(), in.readLong(),
                    in.readString());
            case COMPLETE_TASK -> new CompleteTask(now, in.readString(), in.readString());
            case FAIL_TASK -> new FailTask(now, in.readString(), in.readString(), in.readBoolean());
            case HEARTBEAT -> new Heartbeat(now, in.readString());
            case EXPIRE_LEASES -> new ExpireLeases(now);
            case CANCEL_WORKFLOW -> new CancelWorkflow(now, in.readString(), in.readString());
            case LEASE_TASKS_BY_POLLER -> new LeaseTasks(now, in.readString(), in.readString(), in.readStrings(),
                    in.readInt(), in.readLong(), in.readString());
            case CONFIGURE_ENGINE, CONFIGURE_ENGINE_WITH_RETENTION -> {
                boolean bootstrap = in.readBoolean();
                EngineLimits limits = new EngineLimits(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                        in.readInt(), in.readInt(), in.readLong(), in.readLong());
                if (tag == CONFIGURE_ENGINE) {
                    yield new ConfigureEngine(now, limits, bootstrap);
                }
                Retention retention = in.readBoolean() ? new Retention(in.readLong(), in.readLong()) : null;
                yield new ConfigureEngine(now, limits, retention, in.readString(), bootstrap);
            }
            case ACKNOWLEDGE_EXPORT -> new AcknowledgeExport(now, in.readLong());
            case APPLY_RETENTION -> new ApplyRetention(now);
            case LEASE_TASKS_BY_PRINCIPAL -> new LeaseTasks(now, in.readString(), in.readString(), in.readStrings(),
                    in.readInt(), in.readLong(), in.readString(), in.readString());
            case COMPLETE_TASK_BY_PRINCIPAL -> new CompleteTask(now, in.readString(), in.readString(), in.readString());
            case FAIL_TASK_BY_PRINCIPAL -> new FailTask(now, in.readString(), in.readString(), in.readBoolean(),
                    in.readString());
            case HEARTBEAT_BY_PRINCIPAL -> new Heartbeat(now, in.readString(), in.readString());
            case CONFIGURE_TASK_TYPE -> new ConfigureTaskType(now, in.readString(),
                    in.readBoolean() ? new RateLimit(in.readLong()) : null);
            case SUBMIT_WORKFLOW_TRACED -> new SubmitWorkflow(now, in.readString(), in.readString(),
                    ModelCodec.readDefinitionRef(in), ModelCodec.readTasks(in), in.readString(), in.readString());
            case LEASE_TASKS_PREFERRING -> new LeaseTasks(now, in.readString(), in.readString(), in.readStrings(),
                    in.readInt(), in.readLong(), in.readString(), in.readString(), in.readStrings());
            default -> throw new UnsupportedFormatException("command tag", tag, NEWEST_TAG);
        };
        in.expectEnd();
        return command;
    }
}
