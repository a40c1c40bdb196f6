package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.coordinator.replication.ClusterAdmin.ClusterStatus;
import io.flowraft.coordinator.replication.ClusterAdmin.SnapshotTaken;

/** Maps the Raft layer's cluster status and snapshots to the wire. */
public final class ClusterViews {

    private ClusterViews() {
    }

    public static ClusterView toView(ClusterStatus status) {
        return new ClusterView(status.nodeId(), status.leader(), status.term(), status.peers(), status.commitIndex(),
                status.appliedIndex(), status.stateDigest());
    }

    public static SnapshotView toView(SnapshotTaken snapshot) {
        return new SnapshotView(snapshot.index(), snapshot.bytes(), snapshot.duration().toMillis());
    }
}
