package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.raft.ForwardCodec.Answer;
import io.flowraft.coordinator.raft.ForwardCodec.Outcome;
import io.flowraft.coordinator.raft.ForwardCodec.RejectedFrame;
import io.flowraft.coordinator.raft.ForwardCodec.Request;
import io.flowraft.coordinator.raft.LeaderMembership.Change;
import io.flowraft.coordinator.replication.MembershipChangeFailedException;
import io.flowraft.coordinator.replication.MembershipConflictException;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OverloadedException;
import io.flowraft.coordinator.replication.RaftUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader side of forwarding: takes a request another coordinator forwarded, checks it, then proposes its command
 * (answering with the result and the index it committed at, so the follower can answer from its own state once
 * it has applied that index) or makes its membership change. Before anything of a request is read, its MAC must
 * check out under the cluster secret (in constant time); then it must be addressed to this node, fresh and not
 * seen before ({@link ReplayGuard}), and its command one a client may send ({@link ForwardableCommands}).
 * Otherwise it is answered REFUSED and nothing is proposed. A node that is not (or no longer) the leader answers
 * NOT_LEADER rather than forwarding again, so a request never bounces between nodes; the follower's client
 * retries. The two requests of a node joining an existing group ({@link JoinExisting}) go to any node: what it
 * knows of its group is answered as it stands, and a join (which must name its sender) is made here when this node
 * leads, or forwarded once to the leader it knows, which makes it.
 */
final class ForwardProcessor implements RpcProcessor<ForwardRequest> {

    private static final Logger log = LoggerFactory.getLogger(ForwardProcessor.class);
    private static final long RETRY_AFTER_MS = 1000;

    private final String self;
    private final ClusterKey key;
    private final ForwardCodec codec;
    private final ReplayGuard replays;
    private final Proposer proposer;
    private final LeaderMembership membership;
    private final Executor executor;
    private final Runnable publishCommitIndex;
    private final Peers peers;

    /** What a node starting with {@code join-existing} asks of this one. */
    interface Peers {

        /** This node's voters and leader as it knows them now. */
        MembershipReport report();

        /** Adds {@code peer} as a voter: here if this node leads, else through the leader it knows. */
        CompletableFuture<Void> add(PeerId peer);
    }

    /**
     * @param self               this node's Raft address, which a request must name as its recipient
     * @param publishCommitIndex tells the followers the commit index now (see {@link RaftNode#publishCommitIndex})
     */
    ForwardProcessor(String self, ClusterKey key, ReplayGuard replays, Proposer proposer, LeaderMembership membership,
            Executor executor, Runnable publishCommitIndex, Peers peers) {
        this.self = self;
        this.key = key;
        this.codec = new ForwardCodec(key);
        this.replays = replays;
        this.proposer = proposer;
        this.membership = membership;
        this.executor = executor;
        this.publishCommitIndex = publishCommitIndex;
        this.peers = peers;
    }

    @Override
    public void handleRequest(RpcContext context, ForwardRequest forwarded) {
        byte[] frame = forwarded.frame();
        String refusal = key.forwardingRefusal();
        if (refusal != null) {
            refuse(context, frame, "This coordinator refuses forwarded requests: " + refusal);
            return;
        }
        Request request;
        try {
            request = codec.decodeRequest(frame);
        } catch (RejectedFrame e) {
            refuse(context, frame, e.getMessage());
            return;
        }
        if (!self.equals(request.recipient())) {
            refuse(context, frame, "Forwarded request is addressed to " + request.recipient() + ", this is " + self);
            return;
        }
        String replayed = replays.admit(request.session(), request.sequence(), request.sentAtMs());
        if (replayed != null) {
            refuse(context, frame, replayed);
            return;
        }
        switch (request.kind()) {
            case COMMAND -> command(context, frame, request.payload());
            case ADD_PEER -> membership(context, frame, Change.ADD, request.payload());
            case REMOVE_PEER -> membership(context, frame, Change.REMOVE, request.payload());
            case TRANSFER_LEADERSHIP -> membership(context, frame, Change.TRANSFER, request.payload());
            case CONFIGURATION -> answer(context, frame, peers.report().answer());
            case JOIN -> join(context, frame, request);
        }
    }

    private void join(RpcContext context, byte[] frame, Request request) {
        String peer = new String(request.payload(), StandardCharsets.UTF_8);
        PeerId peerId = PeerId.parsePeer(peer);
        if (peerId == null || !peer.equals(request.sender())) {
            refuse(context, frame, "A node may ask to join only as itself: " + request.sender() + " asked for '" + peer + "'");
            return;
        }
        log.info("{} asks to join the group as a voter", peer);
        peers.add(peerId).whenComplete((ok, error) -> answer(context, frame, error == null ? Answer.ok(null, 0)
                : failure(error)));
    }

    private void command(RpcContext context, byte[] frame, byte[] payload) {
        Command command;
        try {
            command = CommandCodec.decode(payload);
        } catch (CodecException e) {
            refuse(context, frame, "Undecodable command: " + e.getMessage());
            return;
        }
        if (!ForwardableCommands.allows(command)) {
            refuse(context, frame, command.getClass().getSimpleName() + " is proposed by the leader itself, never forwarded");
            return;
        }
        proposer.propose(command).whenComplete((committed, error) -> {
            if (error == null) {
                if (readBack(command)) {
                    // The forwarding follower reads its answer back once it has applied the entry: let it know now.
                    publishCommitIndex.run();
                }
                answer(context, frame, Answer.ok(ResultCodec.encode(committed.result()), committed.index()));
            } else {
                answer(context, frame, failure(error));
            }
        });
    }

    private void membership(RpcContext context, byte[] frame, Change change, byte[] payload) {
        String peer = new String(payload, StandardCharsets.UTF_8);
        PeerId peerId = peer.isEmpty() && change == Change.TRANSFER ? PeerId.ANY_PEER : PeerId.parsePeer(peer);
        if (peerId == null) {
            refuse(context, frame, "Peer must be host:port, was '" + peer + "'");
            return;
        }
        if (!membership.leads()) {
            answer(context, frame, Answer.failure(Outcome.NOT_LEADER, "This node is not the leader", null, RETRY_AFTER_MS));
            return;
        }
        CompletableFuture<Void> done = membership.change(change, peerId);
        done.whenComplete((ok, error) -> answer(context, frame, error == null ? Answer.ok(null, 0) : failure(error)));
    }

    /**
     * Whether the forwarding follower reads the result back from its own state (submit and cancel answer the
     * workflow as it stands); the rest are answered from the result alone, so an early heartbeat would be wasted.
     */
    private static boolean readBack(Command command) {
        return command instanceof SubmitWorkflow || command instanceof CancelWorkflow;
    }

    private static Answer failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        long retryAfter = cause instanceof RaftUnavailableException u ? u.retryAfter().toMillis() : RETRY_AFTER_MS;
        Outcome outcome = switch (cause) {
            case NoLeaderException e -> Outcome.NOT_LEADER;
            case OverloadedException e -> Outcome.OVERLOADED;
            case MembershipChangeFailedException e -> Outcome.MEMBERSHIP_CHANGE_FAILED;
            case MembershipConflictException e -> Outcome.MEMBERSHIP_CONFLICT;
            default -> Outcome.OUTCOME_UNKNOWN;
        };
        // The subject names the conflicting peer of a membership conflict, and why the leader was overloaded.
        String subject = switch (cause) {
            case MembershipConflictException c -> c.peer();
            case OverloadedException o -> o.reason().code();
            default -> null;
        };
        return Answer.failure(outcome, cause.getMessage(), subject, retryAfter);
    }

    private void refuse(RpcContext context, byte[] frame, String why) {
        log.warn("Refused a request forwarded from {}: {}", context.getRemoteAddress(), why);
        answer(context, frame, Answer.failure(Outcome.REFUSED, why, null, RETRY_AFTER_MS));
    }

    private void answer(RpcContext context, byte[] frame, Answer answer) {
        context.sendResponse(new ForwardResponse(codec.encode(answer, frame)));
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
