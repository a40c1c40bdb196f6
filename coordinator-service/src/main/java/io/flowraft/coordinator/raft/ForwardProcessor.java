package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OverloadedException;
import io.flowraft.coordinator.replication.RaftUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Leader side of forwarding: proposes a command a follower received and answers with the result and the index
 * it committed at, so the follower can answer from its own state once it has applied that index. A node that
 * is not (or no longer) the leader answers NOT_LEADER rather than forwarding again, so a request never
 * bounces between nodes; the follower's client retries.
 */
final class ForwardProcessor implements RpcProcessor<ForwardRequest> {

    private final Proposer proposer;
    private final Executor executor;
    private final Runnable publishCommitIndex;

    /** @param publishCommitIndex tells the followers the commit index now (see {@link RaftNode#publishCommitIndex}) */
    ForwardProcessor(Proposer proposer, Executor executor, Runnable publishCommitIndex) {
        this.proposer = proposer;
        this.executor = executor;
        this.publishCommitIndex = publishCommitIndex;
    }

    @Override
    public void handleRequest(RpcContext context, ForwardRequest request) {
        Command command;
        try {
            command = CommandCodec.decode(request.command());
        } catch (CodecException e) {
            context.sendResponse(ForwardResponse.failure(ForwardResponse.NOT_LEADER, "Undecodable command: " + e.getMessage(), 1000));
            return;
        }
        proposer.propose(command).whenComplete((committed, error) -> {
            if (error == null) {
                if (readBack(command)) {
                    // The forwarding follower reads its answer back once it has applied the entry: let it know now.
                    publishCommitIndex.run();
                }
                context.sendResponse(ForwardResponse.success(ResultCodec.encode(committed.result()), committed.index()));
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String kind = switch (cause) {
                case NoLeaderException e -> ForwardResponse.NOT_LEADER;
                case OverloadedException e -> ForwardResponse.OVERLOADED;
                default -> ForwardResponse.OUTCOME_UNKNOWN;
            };
            long retryAfter = cause instanceof RaftUnavailableException u ? u.retryAfter().toMillis() : 1000;
            context.sendResponse(ForwardResponse.failure(kind, cause.getMessage(), retryAfter));
        });
    }

    /**
     * Whether the forwarding follower reads the result back from its own state (submit and cancel answer the
     * workflow as it stands); the rest are answered from the result alone, so an early heartbeat would be wasted.
     */
    private static boolean readBack(Command command) {
        return command instanceof SubmitWorkflow || command instanceof CancelWorkflow;
    }

    @Override
    public String interest() {
        return ForwardRequest.class.getName();
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
