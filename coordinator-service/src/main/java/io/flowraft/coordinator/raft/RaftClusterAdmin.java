package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.PeerId;
import io.flowraft.coordinator.raft.LeaderMembership.Change;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.InvalidPeerException;
import io.flowraft.coordinator.replication.NoLeaderException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Cluster status, and membership and leadership changes, which any coordinator takes: the leader makes them
 * through its own SOFAJRaft node ({@link LeaderMembership}); a follower hands them to the leader over
 * authenticated forwarding ({@link LeaderForwarder}), as it does writes. SOFAJRaft's CLI RPCs are not served
 * (see {@link RaftRpcServers}). Snapshots on request are this node's own ({@link SnapshotTrigger}).
 */
final class RaftClusterAdmin implements ClusterAdmin {

    private final RaftNode raftNode;
    private final EngineStateMachine fsm;
    private final RaftProperties properties;
    private final LeaderMembership membership;
    private final LeaderForwarder forwarder;
    private final SnapshotTrigger snapshots;

    RaftClusterAdmin(RaftNode raftNode, EngineStateMachine fsm, RaftProperties properties, LeaderMembership membership,
            LeaderForwarder forwarder, Executor executor) {
        this.raftNode = raftNode;
        this.fsm = fsm;
        this.properties = properties;
        this.membership = membership;
        this.forwarder = forwarder;
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
        return change(Change.ADD, peer);
    }

    @Override
    public CompletableFuture<Void> removePeer(String peer) {
        return change(Change.REMOVE, peer);
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String peer) {
        return change(Change.TRANSFER, peer == null ? PeerId.ANY_PEER.toString() : peer);
    }

    @Override
    public CompletableFuture<SnapshotTaken> snapshot() {
        return snapshots.takeNow();
    }

    private CompletableFuture<Void> change(Change change, String peer) {
        PeerId peerId = PeerId.parsePeer(peer);
        if (peerId == null) {
            return CompletableFuture.failedFuture(new InvalidPeerException("Peer must be host:port, was '" + peer + "'"));
        }
        if (membership.leads()) {
            return membership.change(change, peerId);
        }
        try {
            return forwarder.forward(raftNode.remoteLeader(), change, peerId);
        } catch (NoLeaderException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
