package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.CliOptions;
import com.alipay.sofa.jraft.rpc.InvokeCallback;
import com.alipay.sofa.jraft.rpc.impl.cli.CliClientServiceImpl;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.raft.ForwardCodec.Answer;
import io.flowraft.coordinator.raft.ForwardCodec.Kind;
import io.flowraft.coordinator.raft.ForwardCodec.RejectedFrame;
import io.flowraft.coordinator.raft.ForwardCodec.Request;
import io.flowraft.coordinator.raft.LeaderMembership.Change;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.MembershipChangeFailedException;
import io.flowraft.coordinator.replication.MembershipConflictException;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Follower side of forwarding: sends a command, or a membership change, to the leader over the Raft RPC port,
 * authenticated with the cluster secret ({@link ForwardCodec}), and turns the answer back into a result or the
 * same failure the leader met. A lost, timed-out or unauthenticated answer is "outcome unknown": the leader may
 * have committed the command. Commands only the leader proposes ({@link ForwardableCommands}) are not sent.
 */
final class LeaderForwarder implements AutoCloseable {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final CliClientServiceImpl client = new CliClientServiceImpl();
    private final String self;
    private final ClusterKey key;
    private final ForwardCodec codec;
    private final LongSupplier clock;
    private final Executor callbacks;
    private final long timeoutMs;
    private final long membershipTimeoutMs;
    /** This sender's session, new on every start, and its request numbers within it (see {@link ReplayGuard}). */
    private final long session = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param timeoutMs           how long a forwarded command waits for its answer
     * @param membershipTimeoutMs how long a forwarded membership change waits (a new peer's catch-up included)
     */
    LeaderForwarder(String self, ClusterKey key, LongSupplier clock, Executor callbacks, long timeoutMs,
            long membershipTimeoutMs) {
        ForwardSerializer.register();
        this.self = self;
        this.key = key;
        this.codec = new ForwardCodec(key);
        this.clock = clock;
        this.callbacks = callbacks;
        this.timeoutMs = timeoutMs;
        this.membershipTimeoutMs = membershipTimeoutMs;
        CliOptions options = new CliOptions();
        options.setTimeoutMs((int) timeoutMs);
        client.init(options);
    }

    CompletableFuture<Committed> forward(PeerId leader, Command command) {
        if (!ForwardableCommands.allows(command)) {
            return CompletableFuture.failedFuture(new NoLeaderException(command.getClass().getSimpleName()
                    + " is proposed by the leader itself, and this node no longer leads", leader.toString(), RETRY_AFTER));
        }
        return send(leader, Kind.COMMAND, CommandCodec.encode(command), timeoutMs, null)
                .thenApply(answer -> new Committed(ResultCodec.decode(answer.result()), answer.index()));
    }

    /** Hands a membership change to the leader; {@code peer} is {@link PeerId#ANY_PEER} for "whichever follower". */
    CompletableFuture<Void> forward(PeerId leader, Change change, PeerId peer) {
        Kind kind = switch (change) {
            case ADD -> Kind.ADD_PEER;
            case REMOVE -> Kind.REMOVE_PEER;
            case TRANSFER -> Kind.TRANSFER_LEADERSHIP;
        };
        String named = peer.equals(PeerId.ANY_PEER) ? "" : peer.toString();
        return send(leader, kind, named.getBytes(StandardCharsets.UTF_8), membershipTimeoutMs, change.of(peer))
                .thenApply(answer -> null);
    }

    /**
     * Asks {@code peer} which voters its group has and who leads it, as it knows them. Fails when it cannot tell:
     * unreachable within {@code timeoutMs}, refused (another cluster secret, or a coordinator that predates the
     * question), or an answer that does not authenticate.
     */
    CompletableFuture<MembershipReport> askMembership(PeerId peer, long timeoutMs) {
        return send(peer, Kind.CONFIGURATION, new byte[0], timeoutMs, null).thenCompose(answer -> {
            try {
                return CompletableFuture.completedFuture(MembershipReport.of(answer));
            } catch (RejectedFrame e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * Asks {@code via}, any member, to add this node as a voter: it makes the change if it leads, else forwards it
     * to its leader. Completes once the change committed, or this node was a member already.
     */
    CompletableFuture<Void> askToJoin(PeerId via) {
        return send(via, Kind.JOIN, self.getBytes(StandardCharsets.UTF_8), membershipTimeoutMs + timeoutMs,
                "join as " + self).thenApply(answer -> null);
    }

    /**
     * @param leader the recipient: the leader, or any peer for a question and a join
     * @param change what a membership request asks, in words; null for a command or a question
     */
    private CompletableFuture<Answer> send(PeerId leader, Kind kind, byte[] payload, long timeout, String change) {
        String refusal = key.forwardingRefusal();
        if (refusal != null) {
            return CompletableFuture.failedFuture(new NoLeaderException("This coordinator is not the leader, and "
                    + refusal, leader.toString(), RETRY_AFTER));
        }
        byte[] frame = codec.encode(new Request(kind, self, leader.getEndpoint().toString(), clock.getAsLong(), session,
                sequence.getAndIncrement(), payload));
        CompletableFuture<Answer> future = new CompletableFuture<>();
        try {
            client.getRpcClient().invokeAsync(leader.getEndpoint(), new ForwardRequest(frame), new InvokeCallback() {
                @Override
                public void complete(Object response, Throwable error) {
                    if (error != null) {
                        future.completeExceptionally(unknown(change, "Forwarding to leader " + leader + " failed: "
                                + error.getMessage()));
                    } else {
                        settle(future, frame, (ForwardResponse) response, leader, change);
                    }
                }

                @Override
                public Executor executor() {
                    return callbacks;
                }
            }, timeout);
        } catch (Exception e) {
            // Could not even send: the leader did not receive it.
            String role = kind == Kind.CONFIGURATION || kind == Kind.JOIN ? "Peer " : "Leader ";
            future.completeExceptionally(new NoLeaderException(
                    role + leader + " is unreachable: " + e.getMessage(), leader.toString(), RETRY_AFTER));
        }
        return future;
    }

    private void settle(CompletableFuture<Answer> future, byte[] request, ForwardResponse response, PeerId leader,
            String change) {
        Answer answer;
        try {
            answer = codec.decodeAnswer(response.frame(), request);
        } catch (RejectedFrame e) {
            future.completeExceptionally(unknown(change, "The answer of leader " + leader + " was refused: "
                    + e.getMessage()));
            return;
        }
        Duration retryAfter = Duration.ofMillis(Math.max(RETRY_AFTER.toMillis(), answer.retryAfterMs()));
        String message = answer.message();
        switch (answer.outcome()) {
            case OK -> future.complete(answer);
            case NOT_LEADER -> future.completeExceptionally(new NoLeaderException(message, leader.toString(), retryAfter));
            case REFUSED -> future.completeExceptionally(new NoLeaderException(
                    "Leader " + leader + " refused the forwarded request, so nothing was proposed: " + message,
                    leader.toString(), retryAfter));
            case OVERLOADED -> future.completeExceptionally(new OverloadedException(message,
                    overloadReason(answer.subject(), change), retryAfter));
            case MEMBERSHIP_CONFLICT -> future.completeExceptionally(new MembershipConflictException(message,
                    answer.subject()));
            case MEMBERSHIP_CHANGE_FAILED -> future.completeExceptionally(new MembershipChangeFailedException(message,
                    retryAfter));
            case OUTCOME_UNKNOWN -> future.completeExceptionally(unknown(change, message));
        }
    }

    /**
     * Why the leader was overloaded, as its answer's subject names it; a leader that predates reasons names none, and
     * then the request says it: a membership change meets another one, a command a full proposal queue.
     */
    private static RefusalReason overloadReason(String subject, String change) {
        return RefusalReason.fromCode(subject).orElse(change == null ? RefusalReason.PROPOSAL_QUEUE_FULL
                : RefusalReason.MEMBERSHIP_CHANGE_IN_PROGRESS);
    }

    /** A failure after which the leader may or may not have acted. */
    private static RuntimeException unknown(String change, String why) {
        return change == null ? new OutcomeUnknownException(why, RETRY_AFTER)
                : new MembershipChangeFailedException("Could not " + change + ": " + why + ". It may still take effect:"
                        + " check GET /api/v1/cluster before retrying.", RETRY_AFTER);
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
