package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.ClusterView;
import io.flowraft.coordinator.raft.ClusterAdmin.ClusterStatus;

/** Maps the Raft layer's cluster status to the wire. */
public final class ClusterViews {

    private ClusterViews() {
    }

    public static ClusterView toView(ClusterStatus status) {
        return new ClusterView(status.nodeId(), status.leader(), status.term(), status.peers(), status.commitIndex(),
                status.appliedIndex(), status.stateDigest());
    }
}
