package io.flowraft.coordinator.engine;

import io.flowraft.coordinator.engine.codec.Sha256;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.expression.Conditions;
import io.flowraft.coordinator.engine.handler.CommandHandlers;
import io.flowraft.coordinator.engine.handler.EventWriter;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineState;
import io.flowraft.coordinator.engine.state.EventApplier;
import io.flowraft.coordinator.engine.state.SnapshotCodec;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The deterministic workflow state machine. Apply commands in log order; the same commands at the same
 * indexes give the same results, events and state on every replica: nothing here reads a clock, draws a
 * random number, does I/O or lets hash order reach a result. Not thread-safe: one applier thread owns it
 * (reads from other threads go through the Raft layer).
 */
public final class Engine {

    private final EngineLimits limits;
    private final CommandHandlers handlers;
    private final EngineState state;
    private final EventApplier applier;

    public Engine() {
        this(EngineLimits.DEFAULT);
    }

    public Engine(EngineLimits limits) {
        this(limits, Conditions.defaults(), new EngineState());
    }

    private Engine(EngineLimits limits, Conditions conditions, EngineState state) {
        this.limits = limits;
        this.handlers = new CommandHandlers(limits, conditions);
        this.state = state;
        this.applier = new EventApplier(state);
    }

    /** What one command did. */
    public record Applied(CommandResult result, List<Event> events) {
    }

    /**
     * Applies one command. Several commands may share a log index (a batched entry) but indexes never go
     * back. A rejected command changes nothing.
     */
    public CommandResult apply(long index, Command command) {
        return applyWithEvents(index, command).result();
    }

    public Applied applyWithEvents(long index, Command command) {
        if (index < state.lastAppliedIndex()) {
            throw new IllegalArgumentException("Log index " + index + " is behind the applied index " + state.lastAppliedIndex());
        }
        state.promoteDue(command.now());
        EventWriter events = new EventWriter(applier, index, command.now());
        CommandResult result = handlers.handle(command, state, events);
        state.markApplied(index);
        return new Applied(result, events.written());
    }

    public EngineReadState state() {
        return state;
    }

    public EngineLimits limits() {
        return limits;
    }

    /** The whole state in its canonical, versioned encoding. */
    public byte[] snapshot() {
        return SnapshotCodec.encode(state);
    }

    /** An engine holding exactly the state a snapshot was taken of. */
    public static Engine restore(byte[] snapshot, EngineLimits limits) {
        return new Engine(limits, Conditions.defaults(), SnapshotCodec.decode(snapshot));
    }

    /**
     * SHA-256 of the canonical encoding, leaving out the applied index: equal on replicas that applied the
     * same log prefix, and unchanged by commands that changed nothing (a repeated report, a rejection).
     * Compare it together with {@code lastAppliedIndex}.
     */
    public String digest() {
        byte[] snapshot = snapshot();
        MessageDigest sha = Sha256.digest();
        sha.update(snapshot, 0, SnapshotCodec.APPLIED_INDEX_OFFSET);
        int rest = SnapshotCodec.APPLIED_INDEX_OFFSET + Long.BYTES;
        sha.update(snapshot, rest, snapshot.length - rest);
        return HexFormat.of().formatHex(sha.digest());
    }
}
