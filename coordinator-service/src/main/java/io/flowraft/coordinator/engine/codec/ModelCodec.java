package io.flowraft.coordinator.engine.codec;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.DefinitionRef;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/** Binary encoding of the model types shared by commands and snapshots. Field order is part of the format. */
public final class ModelCodec {

    /** The trigger byte of a spec without one (only ever in specs that failed validation). */
    private static final int NO_TRIGGER = 0xFF;

    private ModelCodec() {
    }

    public static void writeTasks(BinaryWriter out, List<TaskSpec> tasks) {
        if (tasks == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(tasks.size());
        for (TaskSpec task : tasks) {
            writeTask(out, task);
        }
    }

    public static List<TaskSpec> readTasks(BinaryReader in) {
        int count = in.readInt();
        if (count == -1) {
            return null;
        }
        if (count < 0) {
            throw new CodecException("Negative task count " + count);
        }
        List<TaskSpec> tasks = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            tasks.add(readTask(in));
        }
        return tasks;
    }

    public static void writeTask(BinaryWriter out, TaskSpec task) {
        out.writeString(task.id());
        out.writeString(task.type());
        out.writeStrings(task.dependsOn());
        out.writeString(task.input());
        out.writeString(task.when());
        out.writeByte(task.trigger() == null ? NO_TRIGGER : Codes.of(task.trigger()));
        RetryPolicy retry = task.retry();
        out.writeBoolean(retry != null);
        if (retry != null) {
            out.writeInt(retry.maxAttempts());
            out.writeLong(retry.initialBackoffMs());
            out.writeDouble(retry.multiplier());
            out.writeLong(retry.maxBackoffMs());
        }
        out.writeLong(task.timeoutMs());
        ConcurrencyLimit concurrency = task.concurrency();
        out.writeBoolean(concurrency != null);
        if (concurrency != null) {
            out.writeString(concurrency.key());
            out.writeInt(concurrency.max());
        }
    }

    public static TaskSpec readTask(BinaryReader in) {
        String id = in.readString();
        String type = in.readString();
        List<String> dependsOn = in.readStrings();
        String input = in.readString();
        String when = in.readString();
        int triggerCode = in.readByte();
        TriggerRule trigger = triggerCode == NO_TRIGGER ? null : Codes.triggerRule(triggerCode);
        RetryPolicy retry = in.readBoolean()
                ? new RetryPolicy(in.readInt(), in.readLong(), in.readDouble(), in.readLong())
                : null;
        long timeoutMs = in.readLong();
        ConcurrencyLimit concurrency = in.readBoolean() ? new ConcurrencyLimit(in.readString(), in.readInt()) : null;
        return new TaskSpec(id, type, dependsOn == null ? List.of() : dependsOn, input, when,
                trigger, retry, timeoutMs, concurrency);
    }

    public static void writeDefinitionRef(BinaryWriter out, DefinitionRef ref) {
        out.writeBoolean(ref != null);
        if (ref != null) {
            out.writeString(ref.name());
            out.writeInt(ref.version());
        }
    }

    public static DefinitionRef readDefinitionRef(BinaryReader in) {
        return in.readBoolean() ? new DefinitionRef(in.readString(), in.readInt()) : null;
    }
}
