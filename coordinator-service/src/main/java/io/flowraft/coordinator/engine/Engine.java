package io.flowraft.coordinator.engine;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.expression.Conditions;
import io.flowraft.coordinator.engine.handler.CommandHandlers;
import io.flowraft.coordinator.engine.handler.EventWriter;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineState;
import io.flowraft.coordinator.engine.state.EventApplier;
import io.flowraft.coordinator.engine.state.SnapshotCodec;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The deterministic workflow state machine. Apply commands in log order; the same commands at the same
 * indexes give the same results, events and state on every replica: nothing here reads a clock, draws a
 * random number, does I/O or lets hash order reach a result. Not thread-safe: one applier thread owns it
 * (reads from other threads go through the Raft layer).
 *
 * <p>A command is all or nothing: if it is rejected, or its handler fails with an exception (a bug), every
 * change it made is undone and it is answered as a rejection, the same way on every replica. Nothing a client
 * sends can make {@link #apply} throw, so no log entry can stop a replica. What a command may cost is bounded
 * before it runs by the limits in the state ({@link EngineLimits}), never by the size of what it would build.
 */
public final class Engine {

    /** Decides one command: the handler table, or a test's wrapper around it. */
    @FunctionalInterface
    public interface Dispatch {
        CommandResult handle(Command command, EngineReadState state, EventWriter events);
    }

    private final Dispatch dispatch;
    private final EngineState state;
    private final EventApplier applier;

    /** An empty engine with the default limits, as every replica starts before the first {@code ConfigureEngine}. */
    public Engine() {
        this(EngineLimits.DEFAULT);
    }

    /** An empty engine with these limits, as if configured; for tests and benchmarks. */
    public Engine(EngineLimits limits) {
        this(new EngineState(limits), UnaryOperator.identity());
    }

    /**
     * An empty engine whose dispatch is wrapped by {@code around}: a test seam for injecting a handler that fails
     * (a bug the engine must survive). Production code uses the other constructors.
     */
    public Engine(EngineLimits limits, UnaryOperator<Dispatch> around) {
        this(new EngineState(limits), around);
    }

    private Engine(EngineState state, UnaryOperator<Dispatch> around) {
        CommandHandlers handlers = new CommandHandlers(Conditions.defaults());
        this.dispatch = around.apply(handlers::handle);
        this.state = state;
        this.applier = new EventApplier(state);
    }

    /**
     * What one command did.
     *
     * @param changes what waiters outside the engine care about; {@link Changes#NONE} for a rejection
     * @param failure the exception a handler failed with (a bug, answered as an internal rejection), or null
     */
    public record Applied(CommandResult result, List<Event> events, Changes changes, RuntimeException failure) {
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
        state.begin();
        EventWriter events = new EventWriter(applier, state, index, command.now());
        CommandResult result;
        RuntimeException failure = null;
        try {
            result = dispatch.handle(command, state, events);
        } catch (RuntimeException e) {
            failure = e;
            result = Rejection.of(ProblemType.INTERNAL, "The engine failed on this " + command.getClass().getSimpleName()
                    + " (" + e.getClass().getSimpleName() + "); nothing was changed");
        }
        state.markApplied(index);
        if (result instanceof Rejection) {
            state.rollback();
            return new Applied(result, List.of(), Changes.NONE, failure);
        }
        state.commit();
        return new Applied(result, events.written(), events.changes(), null);
    }

    public EngineReadState state() {
        return state;
    }

    /** The limits in force (replicated: see {@link EngineLimits}). */
    public EngineLimits limits() {
        return state.limits();
    }

    /** The whole state in its canonical, versioned encoding. */
    public byte[] snapshot() {
        return SnapshotCodec.encode(state);
    }

    /**
     * An engine holding exactly the state a snapshot was taken of, limits included.
     *
     * @throws io.flowraft.coordinator.engine.codec.UnsupportedFormatException for a snapshot of a newer version
     * @throws io.flowraft.coordinator.engine.codec.CodecException for bytes that are not a valid snapshot
     */
    public static Engine restore(byte[] snapshot) {
        return new Engine(SnapshotCodec.decode(snapshot), UnaryOperator.identity());
    }

    /**
     * The state digest: equal on replicas that applied the same log prefix, and unchanged by commands that
     * changed nothing (a repeated report, a rejection). Kept up to date as commands apply, so reading it costs
     * no more for a large state than for a small one. Compare it together with {@code lastAppliedIndex}.
     */
    public String digest() {
        return state.digest();
    }
}
