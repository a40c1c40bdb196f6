package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.PeerId;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.NoLeaderException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link CommandGateway} over Raft: proposes on the leader, forwards from a follower. */
final class RaftCommandGateway implements CommandGateway {

    private final RaftNode raftNode;
    private final Proposer proposer;
    private final LeaderForwarder forwarder;

    RaftCommandGateway(RaftNode raftNode, Proposer proposer, LeaderForwarder forwarder) {
        this.raftNode = raftNode;
        this.proposer = proposer;
        this.forwarder = forwarder;
    }

    @Override
    public boolean leads() {
        return proposer.isLeader();
    }

    @Override
    public CompletableFuture<Committed> commit(Command command) {
        if (proposer.isLeader()) {
            return proposer.propose(command);
        }
        Node node = raftNode.node();
        PeerId leader = node == null ? null : node.getLeaderId();
        if (leader == null || leader.isEmpty()) {
            return CompletableFuture.failedFuture(new NoLeaderException(
                    "No leader is known right now (election in progress, or no quorum)", null, Duration.ofSeconds(1)));
        }
        if (leader.equals(raftNode.serverId())) {
            // This node won the election but has not applied its term's first entry yet.
            return CompletableFuture.failedFuture(new NoLeaderException(
                    "This node was just elected and is catching up", leader.toString(), Duration.ofSeconds(1)));
        }
        return forwarder.forward(leader, command);
    }
}
