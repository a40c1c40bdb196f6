package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The leader's closure for one proposed log entry (a batch of commands). Completed with the engine's results
 * and the entry's index by the state machine once the entry is applied, or failed by SOFAJRaft. Futures are completed on an
 * executor, never on the state machine thread, so no caller's continuation can stall the apply loop.
 */
final class ProposalClosure implements Closure {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final List<CompletableFuture<Committed>> futures;
    private final Executor completions;
    private volatile List<CommandResult> results;
    private volatile long index;

    ProposalClosure(List<CompletableFuture<Committed>> futures, Executor completions) {
        this.futures = futures;
        this.completions = completions;
    }

    /** Called by the state machine, just before {@link #run}, with the entry's index and one result per command. */
    void results(long index, List<CommandResult> results) {
        this.index = index;
        this.results = results;
    }

    @Override
    public void run(Status status) {
        if (status.isOk() && results != null && results.size() == futures.size()) {
            completions.execute(() -> {
                for (int i = 0; i < futures.size(); i++) {
                    futures.get(i).complete(new Committed(results.get(i), index));
                }
            });
            return;
        }
        RuntimeException failure = failureFor(status);
        completions.execute(() -> futures.forEach(f -> f.completeExceptionally(failure)));
    }

    /**
     * What a failed proposal means to the client. EBUSY and a refused term come before the entry is
     * appended: nothing was proposed. EBUSY while the leader hands leadership over is a leader change (503). Anything else (the leader stepped down with the entry in flight, a
     * shutdown) leaves the outcome unknown.
     */
    static RuntimeException failureFor(Status status) {
        String message = status.getErrorMsg() == null ? "" : status.getErrorMsg();
        if (status.getRaftError() == RaftError.EBUSY && message.contains("transferring leadership")) {
            // A handover (a pod's preStop, a scale-down) is a leader change, not overload: 503 like any election.
            return new NoLeaderException("Leadership is being handed over: " + message, null, RETRY_AFTER);
        }
        if (status.getRaftError() == RaftError.EBUSY) {
            return new OverloadedException("Raft is busy: " + message, RefusalReason.RAFT_BUSY, RETRY_AFTER);
        }
        if (status.getRaftError() == RaftError.EPERM && !message.contains("stepped down")) {
            return new NoLeaderException("This node is no longer the leader: " + message, null, RETRY_AFTER);
        }
        return new OutcomeUnknownException("The command may or may not have been committed: " + status, RETRY_AFTER);
    }
}
