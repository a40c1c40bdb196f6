package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.coordinator.replication.MembershipChangeFailedException;
import io.flowraft.coordinator.replication.MembershipConflictException;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Membership changes and leadership transfers made by the leader through its own SOFAJRaft {@link Node}
 * ({@code addPeer}, {@code removePeer}, {@code transferLeadershipTo}), never through the CLI RPCs, which this
 * node does not serve (see {@link RaftRpcServers}). A follower hands a request to the leader over authenticated
 * forwarding ({@link ForwardProcessor}). Changes are joint-consensus and one at a time (a second concurrent one
 * fails with EBUSY, answered 429). A change that cannot be made as asked fails with
 * {@link MembershipConflictException}, one Raft did not make with {@link MembershipChangeFailedException}; either
 * says why, with Raft's own status.
 */
final class LeaderMembership {

    enum Change {
        ADD("add %s"), REMOVE("remove %s"), TRANSFER("hand leadership to %s");

        private final String what;

        Change(String what) {
            this.what = what;
        }

        String of(PeerId peer) {
            return what.formatted(peer.equals(PeerId.ANY_PEER) ? "another member" : peer);
        }
    }

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Supplier<Node> raftNode;
    private final RaftProperties properties;
    private final Executor executor;

    /** @param raftNode this node's SOFAJRaft node, or null while it is not running */
    LeaderMembership(Supplier<Node> raftNode, RaftProperties properties, Executor executor) {
        this.raftNode = raftNode;
        this.properties = properties;
        this.executor = executor;
    }

    /** Whether this node leads now, so that a change can be made here. */
    boolean leads() {
        Node node = raftNode.get();
        return node != null && node.isLeader();
    }

    /**
     * Makes {@code change} on this node, which must lead; completes once Raft committed it (a transfer: once it
     * started). Adding a member again does nothing.
     */
    CompletableFuture<Void> change(Change change, PeerId peer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                start(change, peer, done);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void start(Change change, PeerId peer, CompletableFuture<Void> done) {
        Node node = raftNode.get();
        List<PeerId> members = node == null ? null : members(node);
        if (members == null) {
            throw new NoLeaderException("This node no longer leads, so it cannot " + change.of(peer), null, RETRY_AFTER);
        }
        MembershipConflictException conflict = conflict(change, peer, members);
        if (conflict != null) {
            throw conflict;
        }
        if (change == Change.ADD && members.contains(peer)) {
            done.complete(null);
            return;
        }
        try {
            switch (change) {
                case ADD -> node.addPeer(peer, status -> settle(change, peer, status, done));
                case REMOVE -> node.removePeer(peer, status -> settle(change, peer, status, done));
                case TRANSFER -> settle(change, peer, node.transferLeadershipTo(peer), done);
            }
        } catch (IllegalArgumentException raced) {
            // The membership changed between the check above and the change ("Peer already exists"): judge again.
            settle(change, peer, new Status(RaftError.EINVAL, raced.getMessage()), done);
        }
    }

    private void settle(Change change, PeerId peer, Status status, CompletableFuture<Void> done) {
        executor.execute(() -> {
            if (status.isOk()) {
                done.complete(null);
                return;
            }
            RuntimeException refusal = refusal(change, peer, status);
            if (refusal == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(refusal);
            }
        });
    }

    /**
     * Why {@code change} was refused, or null if it turns out to be done. The membership, asked for once the
     * change failed, tells a request that cannot succeed as asked from one that may succeed later.
     */
    private RuntimeException refusal(Change change, PeerId peer, Status status) {
        String raft = " (Raft: " + status.getRaftError() + ", " + status.getErrorMsg() + ")";
        RaftError error = status.getRaftError();
        if (error == RaftError.EBUSY) {
            return new OverloadedException("Another membership change or leadership transfer is in progress" + raft,
                    RefusalReason.MEMBERSHIP_CHANGE_IN_PROGRESS, RETRY_AFTER);
        }
        if (error == RaftError.EPERM || error == RaftError.EAGAIN) {
            return new NoLeaderException("No leader could take the change" + raft, null, RETRY_AFTER);
        }
        Node node = raftNode.get();
        List<PeerId> members = node == null ? null : members(node);
        if (members != null) {
            if (change == Change.ADD && members.contains(peer)) {
                return null; // a member already: adding a member again does nothing, as documented
            }
            MembershipConflictException conflict = conflict(change, peer, members);
            if (conflict != null) {
                return conflict;
            }
        }
        String why = change == Change.ADD && error == RaftError.ECATCHUP
                ? ": it did not catch up with the leader's log, so the membership is unchanged. Is it running, started"
                        + " to join this cluster, and reachable from the leader?"
                : ". It may still take effect: check GET /api/v1/cluster before retrying.";
        return new MembershipChangeFailedException("Could not " + change.of(peer) + why + raft,
                Duration.ofMillis(properties.electionTimeoutMs()));
    }

    /** The refusal of a change that cannot be made as asked while the membership is {@code members}, or null. */
    private static MembershipConflictException conflict(Change change, PeerId peer, List<PeerId> members) {
        String membership = " (members: " + members.stream().map(PeerId::toString).sorted().toList() + ")";
        boolean anyPeer = peer.equals(PeerId.ANY_PEER);
        if (change == Change.REMOVE && !members.contains(peer)) {
            return new MembershipConflictException(peer + " is not a member of the cluster" + membership, peer.toString());
        }
        if (change == Change.REMOVE && members.size() == 1) {
            return new MembershipConflictException(peer + " is the only member, and a cluster needs one" + membership,
                    peer.toString());
        }
        if (change == Change.TRANSFER && anyPeer && members.size() == 1) {
            return new MembershipConflictException("There is no other member to hand leadership to" + membership, null);
        }
        if (change == Change.TRANSFER && !anyPeer && !members.contains(peer)) {
            return new MembershipConflictException(peer + " is not a member of the cluster, and only a member can lead"
                    + membership, peer.toString());
        }
        return null;
    }

    /** The voters as this leader sees them, or null once it no longer leads. */
    private static List<PeerId> members(Node node) {
        try {
            return node.listPeers();
        } catch (IllegalStateException notLeader) {
            return null;
        }
    }
}
