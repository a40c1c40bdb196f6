package io.flowraft.coordinator.replication;

/**
 * What this node applies, for those outside the Raft layer that follow it (metrics): listeners of every applied
 * command and entry, and the leader's clock as this node can tell it.
 */
public interface AppliedFeed {

    /** Adds a listener of every entry applied from now on; add before the node starts to hear the log's replay. */
    void addListener(ApplyListener listener);

    /**
     * The leader's clock in epoch milliseconds: this node's own where it leads; elsewhere the latest stamp the
     * leader put on a command applied here, advanced by this node's monotonic clock since.
     */
    long leaderNow();
}
