package io.flowraft.coordinator.replication;

import io.flowraft.coordinator.engine.state.EngineReadState;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Reads the replicated state. {@link ReadConsistency#LINEARIZABLE} waits for a Raft ReadIndex, so the read
 * sees every write acknowledged before it started, on any coordinator; {@link ReadConsistency#STALE} reads
 * this node's local state at once. The query runs while no command is being applied: it must be quick, must
 * copy what it returns (the state objects are live), and must not keep references to them.
 */
public interface StateReader {

    <T> CompletableFuture<T> read(ReadConsistency consistency, Function<EngineReadState, T> query);

    /**
     * Reads back a write the caller just committed ({@link Committed#index()}), without a ReadIndex round trip:
     * from this node's state once it has applied {@code index}, so the answer is never older than the write.
     * On the node that proposed it that is at once; a follower waits briefly for the leader's entry to reach
     * it. If it does not in time, or the index is unknown (0), the read is linearizable instead.
     */
    <T> CompletableFuture<T> readAfter(long index, Function<EngineReadState, T> query);

    /**
     * Reads this node's local state on the calling thread, at once: no Raft round trip, no wait. For this node's
     * own housekeeping (its tickers), never for answering a client.
     */
    <T> T local(Function<EngineReadState, T> query);
}
