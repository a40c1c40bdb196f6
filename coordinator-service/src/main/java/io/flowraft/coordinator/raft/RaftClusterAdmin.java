package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Membership and leadership through SOFAJRaft's CLI service, which finds the leader itself, so any
 * coordinator can take the request. Changes are joint-consensus and one at a time (a second concurrent one
 * fails with EBUSY, answered 429 by the API). Snapshots on request are this node's own ({@link SnapshotTrigger}).
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
        return change(peer, p -> cli.get().addPeer(properties.groupId(), raftNode.currentConfiguration(), p));
    }

    @Override
    public CompletableFuture<Void> removePeer(String peer) {
        return change(peer, p -> cli.get().removePeer(properties.groupId(), raftNode.currentConfiguration(), p));
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String peer) {
        return change(peer == null ? PeerId.ANY_PEER.toString() : peer,
                p -> cli.get().transferLeader(properties.groupId(), raftNode.currentConfiguration(), p));
    }

    @Override
    public CompletableFuture<SnapshotTaken> snapshot() {
        return snapshots.takeNow();
    }

    private CompletableFuture<Void> change(String peer, java.util.function.Function<PeerId, Status> operation) {
        PeerId peerId = PeerId.parsePeer(peer);
        if (peerId == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Peer must be host:port, was '" + peer + "'"));
        }
        return CompletableFuture.supplyAsync(() -> operation.apply(peerId), executor).thenCompose(status -> {
            if (status.isOk()) {
                return CompletableFuture.completedFuture(null);
            }
            RuntimeException failure = switch (status.getRaftError()) {
                case EBUSY -> new OverloadedException("Another membership change is in progress: " + status, Duration.ofSeconds(1));
                case EPERM, EAGAIN -> new NoLeaderException("No leader could take the change: " + status, null, Duration.ofSeconds(1));
                default -> new IllegalStateException("Membership change failed: " + status);
            };
            return CompletableFuture.failedFuture(failure);
        });
    }
}
