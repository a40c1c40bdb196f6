package io.flowraft.coordinator.raft;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Raft node of this coordinator ({@code flowraft.raft.*}). Every default works for a single local node;
 * a cluster sets {@code address}, {@code peers} and {@code data-dir} per node.
 *
 * @param address              this node's Raft endpoint, {@code host:port}; a hostname or an IP, never 0.0.0.0
 * @param peers                the initial voters, {@code host:port} each, this node included; used only when
 *                             the data dir is empty (afterwards the membership is in the log). A list that
 *                             does not name this node means "join": the node starts with no configuration and
 *                             waits for a leader to add it ({@code POST /api/v1/cluster/peers}); empty means a
 *                             single-node cluster of this node alone
 * @param dataDir              where the Raft log, metadata and snapshots live
 * @param groupId              the Raft group; one group holds all state for now
 * @param electionTimeoutMs    1000 on loopback; 2000 to 5000 on Kubernetes
 * @param maxElectionDelayMs   a follower starts an election after {@code electionTimeoutMs} plus a random delay
 *                             below this, so that followers do not all stand at once. SOFAJRaft's default is
 *                             1000, which alone adds up to a second to every failover; with pre-vote, a few
 *                             hundred ms keep split votes rare among 3 or 5 coordinators
 * @param snapshotIntervalSecs how often to snapshot (and truncate the log)
 * @param snapshotLogIndexMargin skip a scheduled snapshot unless at least this many entries were applied since
 * @param maxInFlight          proposals in flight on this node before it answers 429
 * @param maxBatch             commands packed into one log entry at most
 * @param commitTimeoutMs      how long a request waits for its commit before answering "outcome unknown"
 * @param readTimeoutMs        how long a linearizable read waits for a ReadIndex
 * @param clusterSecret        shared by every coordinator of the cluster, at least 32 characters: the key of the
 *                             HMAC-SHA256 that authenticates requests one coordinator forwards to another (writes
 *                             and membership changes sent to a follower) and their answers. Blank refuses all
 *                             forwarding unless {@code flowraft.security.mode=insecure-local}
 *                             (docs/security-raft-port.md)
 * @param joinExisting         when the data dir holds no Raft state yet, ask the other peers over the Raft port
 *                             (authenticated with the cluster secret) for the group's configuration before
 *                             starting: if one of them reports a configuration that does not name this node, the
 *                             group exists without it, so start with an empty configuration and ask its leader to
 *                             add this node as a voter, retrying until it is a member ({@link JoinExisting});
 *                             otherwise (no peer answers, or they name this node) bootstrap from {@code peers} as
 *                             without this setting. A node with Raft state on disk ignores it: its membership is
 *                             in its log. Meant for a StatefulSet whose peer list names every ordinal, so a pod
 *                             past the initial ones joins by itself
 * @param handoverTimeout      how long {@code GET /actuator/handover} (a Kubernetes {@code preStop}) waits for
 *                             another node to lead once this one handed leadership over
 */
@Validated
@ConfigurationProperties("flowraft.raft")
public record RaftProperties(
        @DefaultValue("127.0.0.1:7101") @NotBlank String address,
        @DefaultValue List<String> peers,
        @DefaultValue("data/raft") @NotBlank String dataDir,
        @DefaultValue("flowraft") @NotBlank String groupId,
        @DefaultValue("1000") @Min(100) @Max(60_000) int electionTimeoutMs,
        @DefaultValue("300") @Min(10) @Max(60_000) int maxElectionDelayMs,
        @DefaultValue("300") @Min(1) int snapshotIntervalSecs,
        @DefaultValue("1000") @Min(0) int snapshotLogIndexMargin,
        @DefaultValue("4096") @Min(1) int maxInFlight,
        @DefaultValue("512") @Min(1) @Max(10_000) int maxBatch,
        @DefaultValue("5000") @Min(100) int commitTimeoutMs,
        @DefaultValue("5000") @Min(100) int readTimeoutMs,
        @DefaultValue("") @Pattern(regexp = "|(?s)(?=.*\\S).{32,}", message = "must be at least 32 characters when set")
        String clusterSecret,
        @DefaultValue("false") boolean joinExisting,
        @DefaultValue("15s") Duration handoverTimeout) {

    /** The initial voters: the configured peers, or this node alone. */
    public List<String> initialPeers() {
        return peers == null || peers.isEmpty() ? List.of(address) : peers;
    }

    /**
     * Whether a cluster secret is configured, so that coordinators can forward to one another authenticated. A
     * cluster of more than one coordinator needs one (or {@code flowraft.security.mode=insecure-local}).
     */
    public boolean hasClusterSecret() {
        return clusterSecret != null && !clusterSecret.isBlank();
    }

    /** Never shows the cluster secret, only whether one is set. */
    @Override
    public String toString() {
        return "RaftProperties[address=" + address + ", peers=" + peers + ", dataDir=" + dataDir + ", groupId=" + groupId
                + ", electionTimeoutMs=" + electionTimeoutMs + ", maxElectionDelayMs=" + maxElectionDelayMs
                + ", snapshotIntervalSecs=" + snapshotIntervalSecs + ", snapshotLogIndexMargin=" + snapshotLogIndexMargin
                + ", maxInFlight=" + maxInFlight + ", maxBatch=" + maxBatch + ", commitTimeoutMs=" + commitTimeoutMs
                + ", readTimeoutMs=" + readTimeoutMs + ", clusterSecret=" + (hasClusterSecret() ? "(set)" : "(none)")
                + ", joinExisting=" + joinExisting + ", handoverTimeout=" + handoverTimeout + "]";
    }

    /** Whether this node joins an existing cluster rather than bootstrapping one. */
    public boolean joining() {
        return !initialPeers().contains(address);
    }
}
