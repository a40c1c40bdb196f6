package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Linearizable reads through Raft's ReadIndex, on any node: the read waits until this node has applied
 * everything the leader had committed when the read began. Just after an election the leader answers EAGAIN
 * until its term's first entry commits, and a follower fails while no leader is known: both are retried
 * until the read timeout, then answered 503.
 *
 * <p>A read-back of the caller's own write only waits for this node to apply it: at once where it was
 * proposed; on a follower that forwarded it, as soon as the leader's heartbeat carrying the commit index
 * arrives, which the leader sends right after applying a forwarded command ({@link RaftNode#publishCommitIndex}).
 * That heartbeat reaches the follower about when the answer does, but it cannot commit the entry there if
 * the leader had not yet heard the follower's own acknowledgement of it (about one read-back in six, measured
 * on three local nodes; the follower would otherwise wait for the next regular heartbeat, up to a tenth of
 * the election timeout). So the wait is short, {@value #READ_BACK_APPLY_WAIT_MS} ms, and then the read-back
 * is linearizable, as it always was before: never slower than that by more than the wait.
 */
final class RaftStateReader implements StateReader {

    private static final long RETRY_DELAY_MS = 20;
    static final long READ_BACK_APPLY_WAIT_MS = 2;

    private final RaftNode raftNode;
    private final EngineStateMachine fsm;
    private final Executor readers;
    private final ScheduledExecutorService retries;
    private final AppliedIndexWaiters applied;
    private final long timeoutMs;

    RaftStateReader(RaftNode raftNode, EngineStateMachine fsm, Executor readers, ScheduledExecutorService retries,
            AppliedIndexWaiters applied, long timeoutMs) {
        this.raftNode = raftNode;
        this.fsm = fsm;
        this.readers = readers;
        this.retries = retries;
        this.applied = applied;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public <T> CompletableFuture<T> readAfter(long index, Function<EngineReadState, T> query) {
        if (index <= 0) {
            return read(ReadConsistency.LINEARIZABLE, query);
        }
        return applied.await(index, Duration.ofMillis(READ_BACK_APPLY_WAIT_MS)).thenCompose(
                reached -> read(reached ? ReadConsistency.STALE : ReadConsistency.LINEARIZABLE, query));
    }

    @Override
    public <T> T local(Function<EngineReadState, T> query) {
        return fsm.read(query);
    }

    @Override
    public <T> CompletableFuture<T> read(ReadConsistency consistency, Function<EngineReadState, T> query) {
        if (consistency == ReadConsistency.STALE) {
            return CompletableFuture.supplyAsync(() -> fsm.read(query), readers);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(query, result, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        return result;
    }

    private <T> void attempt(Function<EngineReadState, T> query, CompletableFuture<T> result, long deadline) {
        Node node = raftNode.node();
        if (node == null) {
            result.completeExceptionally(new NoLeaderException("The Raft node is not running", null, Duration.ofSeconds(1)));
            return;
        }
        node.readIndex(new byte[0], new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
                if (status.isOk()) {
                    readers.execute(() -> {
                        try {
                            result.complete(fsm.read(query));
                        } catch (RuntimeException e) {
                            result.completeExceptionally(e);
                        }
                    });
                } else if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS) < deadline) {
                    retries.schedule(() -> attempt(query, result, deadline), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                } else {
                    result.completeExceptionally(new NoLeaderException(
                            "No linearizable read within " + timeoutMs + " ms: " + status, null, Duration.ofSeconds(1)));
                }
            }
        });
    }
}
