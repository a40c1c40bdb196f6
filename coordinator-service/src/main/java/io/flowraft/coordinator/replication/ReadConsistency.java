package io.flowraft.coordinator.replication;

/** How fresh a read must be. */
public enum ReadConsistency {
    /** Sees every write acknowledged before the read began (Raft ReadIndex). The default. */
    LINEARIZABLE,
    /** This node's local state, possibly behind the leader; never blocks on the cluster. */
    STALE
}
