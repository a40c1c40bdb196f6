package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.NoLeaderException;
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
        PeerId leader;
        try {
            leader = raftNode.remoteLeader();
        } catch (NoLeaderException e) {
            return CompletableFuture.failedFuture(e);
        }
        return forwarder.forward(leader, command);
    }
}
