package io.flowraft.bench.peer;

import java.util.Locale;

/**
 * FlowRaft's tasks/s against the peer's, and in words what the two setups do not share, so the ratio is never
 * read as like for like: the peer has no replication and no network between queue and workers.
 *
 * @param ratio FlowRaft tasks/s ÷ peer tasks/s (above 1: FlowRaft ran more)
 */
public record PeerComparison(double flowRaftTasksPerSecond, double peerTasksPerSecond, double ratio,
        String differences) {

    /** {@code null} when either side ran nothing: there is no ratio to give. */
    public static PeerComparison of(double flowRaftTasksPerSecond, int coordinators, int workers, PeerBaseline peer) {
        double peerTasksPerSecond = peer.median().tasksPerSecond();
        if (flowRaftTasksPerSecond <= 0 || peerTasksPerSecond <= 0) {
            return null;
        }
        String differences = String.format(Locale.ROOT, "The peer is one PostgreSQL node with its %d worker threads "
                        + "in the benchmark's JVM and no replication (lose that node and the queue stops, or loses "
                        + "what its disk lost). FlowRaft here replicates every step %d ways through Raft (%d "
                        + "coordinators, fsync on, all on this machine) and its %d worker processes lease and report "
                        + "tasks over HTTP.", peer.threads(), coordinators, coordinators, workers);
        return new PeerComparison(flowRaftTasksPerSecond, peerTasksPerSecond,
                flowRaftTasksPerSecond / peerTasksPerSecond, differences);
    }
}
