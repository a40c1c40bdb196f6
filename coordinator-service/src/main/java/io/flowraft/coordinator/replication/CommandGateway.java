package io.flowraft.coordinator.replication;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.command.Command;
import java.util.concurrent.CompletableFuture;

/**
 * Commits commands through Raft from any coordinator. On a follower the command is forwarded to the leader;
 * the leader stamps it with its clock (the command's own {@code now} is ignored), proposes it, and the
 * future completes with the engine's result once the entry is committed and applied on the leader (on a
 * follower that forwarded it, not necessarily here yet: read it back with {@link StateReader#readAfter}).
 *
 * <p>The future fails with {@link NoLeaderException} when no leader is reachable (nothing was proposed),
 * {@link OverloadedException} when too many proposals are in flight (nothing was proposed), and
 * {@link OutcomeUnknownException} when the entry was proposed but its fate is unknown (timeout, leader
 * stepped down): the caller retries with the same idempotency key, lease id or poll id.
 */
public interface CommandGateway {

    /** Commits the command; the outcome carries the log index of its entry, to read the write back locally. */
    CompletableFuture<Committed> commit(Command command);

    /**
     * Whether commands sent to this node are proposed here (it leads and has caught up) rather than forwarded.
     * A hint for clients choosing a coordinator; it may change at any moment.
     */
    default boolean leads() {
        return false;
    }

    /** Commits the command when only the engine's result matters. */
    default CompletableFuture<CommandResult> submit(Command command) {
        return commit(command).thenApply(Committed::result);
    }
}
