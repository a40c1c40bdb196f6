package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.core.State;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Liveness, never readiness: DOWN only for what a restart of this process mends and waiting does not, so
 * Kubernetes restarts it. A Raft node in ERROR neither applies nor votes again until restarted; a thread that
 * met an {@link Error} (or ended) leaves the process in a state nothing vouches for. Having no leader, or
 * catching up, is readiness's business: a restart would not help and would only cost the cluster a voter.
 */
final class RaftLiveness implements HealthIndicator {

    private final RaftNode raftNode;
    private final EngineStateMachine fsm;
    private final Supplier<String> proposerFailure;
    private final Supplier<Throwable> tickerFailure;

    /**
     * @param proposerFailure why the proposer can no longer be trusted, or null
     * @param tickerFailure   the error the ticker met, or null
     */
    RaftLiveness(RaftNode raftNode, EngineStateMachine fsm, Supplier<String> proposerFailure,
            Supplier<Throwable> tickerFailure) {
        this.raftNode = raftNode;
        this.fsm = fsm;
        this.proposerFailure = proposerFailure;
        this.tickerFailure = tickerFailure;
    }

    @Override
    public Health health() {
        List<String> reasons = new ArrayList<>();
        Node node = raftNode.node();
        if (fsm.inError() || node != null && node.getNodeState() == State.STATE_ERROR) {
            String snapshot = fsm.snapshotLoadFailure();
            String cause = snapshot != null ? snapshot : fsm.errorStatus();
            reasons.add("the Raft node is in ERROR state and stays so until restarted: "
                    + (cause != null ? cause : "its cause is in this node's log"));
        }
        String proposer = proposerFailure.get();
        if (proposer != null) {
            reasons.add(proposer);
        }
        Throwable ticker = tickerFailure.get();
        if (ticker != null) {
            reasons.add("the ticker (lease expiry, long-poll wake-ups) met " + ticker);
        }
        return reasons.isEmpty() ? Health.up().build()
                : Health.down().withDetail("reason", String.join("; ", reasons)).build();
    }
}
