package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.InvalidPeerException;
import io.flowraft.coordinator.replication.MembershipChangeFailedException;
import io.flowraft.coordinator.replication.MembershipConflictException;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Membership and leadership through SOFAJRaft's CLI service, which finds the leader itself, so any
 * coordinator can take the request. Changes are joint-consensus and one at a time (a second concurrent one
 * fails with EBUSY, answered 429 by the API). A change Raft did not make fails with
 * {@link MembershipChangeFailedException}, one that cannot be made as asked with
 * {@link MembershipConflictException}; either says why, with Raft's own status. Snapshots on request are this
 * node's own ({@link SnapshotTrigger}).
 */
final class RaftClusterAdmin implements ClusterAdmin {

    private final RaftNode raftNode;
    private final EngineStateMachine fsm;
    private final RaftProperties properties;
    private final Supplier<CliService> cli;
    private final Executor executor;
    private final SnapshotTrigger snapshots;

    RaftClusterAdmin(RaftNode raftNode, EngineStateMachine fsm, RaftProperties properties, Supplier<CliService> cli,
            Executor executor) {
        this.raftNode = raftNode;
        this.fsm = fsm;
        this.properties = properties;
        this.cli = cli;
        this.executor = executor;
        this.snapshots = new SnapshotTrigger(raftNode, executor);
    }

    @Override
    public ClusterStatus status() {
        Node node = raftNode.node();
        PeerId leader = node == null ? null : node.getLeaderId();
        EngineStateMachine.Digest digest = fsm.digestAtAppliedIndex();
        List<String> peers = raftNode.currentConfiguration().getPeers().stream().map(PeerId::toString).sorted().toList();
        return new ClusterStatus(properties.address(), leader == null || leader.isEmpty() ? null : leader.toString(),
                fsm.term(), peers, node == null ? 0 : node.getLastCommittedIndex(), digest.appliedIndex(), digest.sha256());
    }

    @Override
    public CompletableFuture<Void> addPeer(String peer) {
        return change(Change.ADD, peer, p -> cli.get().addPeer(properties.groupId(), raftNode.currentConfiguration(), p));
    }

    @Override
    public CompletableFuture<Void> removePeer(String peer) {
        return change(Change.REMOVE, peer,
                p -> cli.get().removePeer(properties.groupId(), raftNode.currentConfiguration(), p));
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String peer) {
        return change(Change.TRANSFER, peer == null ? PeerId.ANY_PEER.toString() : peer,
                p -> cli.get().transferLeader(properties.groupId(), raftNode.currentConfiguration(), p));
    }

    @Override
    public CompletableFuture<SnapshotTaken> snapshot() {
        return snapshots.takeNow();
    }

    private enum Change {
        ADD("add %s"), REMOVE("remove %s"), TRANSFER("hand leadership to %s");

        private final String what;

        Change(String what) {
            this.what = what;
        }

        String of(PeerId peer) {
            return what.formatted(peer.equals(PeerId.ANY_PEER) ? "another member" : peer);
        }
    }

    private CompletableFuture<Void> change(Change change, String peer, Function<PeerId, Status> operation) {
        PeerId peerId = PeerId.parsePeer(peer);
        if (peerId == null) {
            return CompletableFuture.failedFuture(new InvalidPeerException("Peer must be host:port, was '" + peer + "'"));
        }
        return CompletableFuture.runAsync(() -> {
            Status status = operation.apply(peerId);
            if (!status.isOk()) {
                RuntimeException refusal = refusal(change, peerId, status);
                if (refusal != null) {
                    throw refusal;
                }
            }
        }, executor);
    }

    /**
     * Why {@code change} was refused, or null if it turns out to be done. jraft reports several refusals
     * alike ("handleRequest internal error" for both adding a member and removing a non-member), so the
     * leader's membership, asked for once the change failed, tells a request that cannot succeed as asked from
     * one that may succeed later.
     */
    private RuntimeException refusal(Change change, PeerId peer, Status status) {
        String raft = " (Raft: " + status.getRaftError() + ", " + status.getErrorMsg() + ")";
        RaftError error = status.getRaftError();
        if (error == RaftError.EBUSY) {
            return new OverloadedException("Another membership change or leadership transfer is in progress" + raft,
                    Duration.ofSeconds(1));
        }
        if (error == RaftError.EPERM || error == RaftError.EAGAIN) {
            return new NoLeaderException("No leader could take the change" + raft, null, Duration.ofSeconds(1));
        }
        List<PeerId> members = leaderMembers();
        if (members != null) {
            if (change == Change.ADD && members.contains(peer)) {
                // Refused because it is a member already: adding a member again does nothing, as documented.
                return null;
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

    /** The voters as the leader sees them, or null if the leader cannot be asked. */
    private List<PeerId> leaderMembers() {
        try {
            return cli.get().getPeers(properties.groupId(), raftNode.currentConfiguration());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
