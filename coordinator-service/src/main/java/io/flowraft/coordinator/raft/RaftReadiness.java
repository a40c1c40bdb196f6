package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.PeerId;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness, never liveness: a node is ready to serve once it knows a leader and has applied what was
 * committed when it first saw one (a follower catching up after a restart is not ready yet), and a leader
 * once its term's first entry is applied, which SOFAJRaft does only after it has caught up.
 */
final class RaftReadiness implements HealthIndicator {

    private final RaftNode raftNode;
    private final EngineStateMachine fsm;
    private volatile long catchUpTarget = -1;

    RaftReadiness(RaftNode raftNode, EngineStateMachine fsm) {
        this.raftNode = raftNode;
        this.fsm = fsm;
    }

    @Override
    public Health health() {
        Node node = raftNode.node();
        if (node == null) {
            return Health.outOfService().withDetail("reason", "Raft node not running").build();
        }
        if (fsm.inError()) {
            return Health.down().withDetail("reason", "Raft node is in ERROR state").build();
        }
        PeerId leader = node.getLeaderId();
        if (leader == null || leader.isEmpty()) {
            return Health.outOfService().withDetail("reason", "no leader known").build();
        }
        long applied = node.getLastAppliedLogIndex();
        if (node.isLeader()) {
            return fsm.leaderTerm() > 0
                    ? Health.up().withDetail("role", "leader").withDetail("appliedIndex", applied).build()
                    : Health.outOfService().withDetail("reason", "elected, catching up").build();
        }
        if (catchUpTarget < 0) {
            catchUpTarget = node.getLastCommittedIndex();
        }
        return applied >= catchUpTarget
                ? Health.up().withDetail("role", "follower").withDetail("leader", leader.toString())
                        .withDetail("appliedIndex", applied).build()
                : Health.outOfService().withDetail("reason", "catching up").withDetail("appliedIndex", applied)
                        .withDetail("target", catchUpTarget).build();
    }
}
