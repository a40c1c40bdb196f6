package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.NodeManager;
import com.alipay.sofa.jraft.RaftServiceFactory;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import io.flowraft.coordinator.replication.NoLeaderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This coordinator's SOFAJRaft node, in the Spring lifecycle: started once the context is ready (so every
 * bean it calls back into exists), stopped on shutdown after handing leadership to another node when this
 * one leads, so a rolling restart costs no election timeout.
 */
final class RaftNode implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);
    private static final byte[] NO_CONTEXT = new byte[0];

    private final RaftProperties properties;
    private final EngineStateMachine fsm;
    private final ForwardProcessor forwardProcessor;
    private final JoinExisting joinExisting;
    private volatile RpcServer rpcServer;
    private volatile Node node;

    /** @param joinExisting decides whether the node joins an existing group (null: never, as in unit tests) */
    RaftNode(RaftProperties properties, EngineStateMachine fsm, ForwardProcessor forwardProcessor,
            JoinExisting joinExisting) {
        this.properties = properties;
        this.fsm = fsm;
        this.forwardProcessor = forwardProcessor;
        this.joinExisting = joinExisting;
    }

    /** The started node, or null before start and after stop. */
    Node node() {
        return node;
    }

    /**
     * The voters as this node knows them: the committed configuration, or the initial peers before the node
     * runs. (The state machine hears only of changes, not of the bootstrap configuration.)
     */
    Configuration currentConfiguration() {
        if (node instanceof com.alipay.sofa.jraft.core.NodeImpl impl) {
            Configuration conf = impl.getCurrentConf();
            if (conf != null && !conf.isEmpty()) {
                return conf;
            }
        }
        Configuration initial = new Configuration();
        initial.parse(String.join(",", properties.initialPeers()));
        return initial;
    }

    /**
     * Tells every follower the commit index now, rather than with the next append or heartbeat (up to a tenth
     * of the election timeout away, as SOFAJRaft sends nothing when the log is idle): a ReadIndex on the
     * leader sends each follower a heartbeat, which carries it. Called once a forwarded command is applied, so
     * the follower that forwarded it can read it back locally about when the answer arrives. Does nothing on a
     * follower; the read's own outcome does not matter.
     */
    void publishCommitIndex() {
        Node current = node;
        if (current != null && current.isLeader()) {
            current.readIndex(NO_CONTEXT, new ReadIndexClosure() {
                @Override
                public void run(Status status, long index, byte[] context) {
                    // Only the heartbeats were wanted.
                }
            });
        }
    }

    /**
     * The voters of the node's own configuration (none while it runs without one, waiting to be added, or is not
     * running) and the leader it knows: what it tells a peer that asks ({@link JoinExisting}).
     */
    MembershipReport membershipReport() {
        Node current = node;
        if (!(current instanceof com.alipay.sofa.jraft.core.NodeImpl impl)) {
            return new MembershipReport(List.of(), null);
        }
        Configuration conf = impl.getCurrentConf();
        List<String> voters = conf == null ? List.of() : conf.getPeers().stream().map(PeerId::toString).sorted().toList();
        PeerId leader = current.getLeaderId();
        return new MembershipReport(voters, leader == null || leader.isEmpty() ? null : leader.toString());
    }

    /** Where SOFAJRaft keeps this node's snapshots, one {@code snapshot_<last included index>} directory each. */
    Path snapshotDir() {
        return Path.of(properties.dataDir()).resolve("snapshot");
    }

    PeerId serverId() {
        return PeerId.parsePeer(properties.address());
    }

    /** A Raft endpoint as peers name it ({@code host:port}); the address as given if it is none. */
    static String endpointOf(String address) {
        PeerId id = PeerId.parsePeer(address);
        return id == null ? address : id.getEndpoint().toString();
    }

    /**
     * The leader to forward to: another node, known to lead.
     *
     * @throws NoLeaderException when no leader is known, or this node was just elected and is still catching up
     */
    PeerId remoteLeader() {
        Node current = node;
        PeerId leader = current == null ? null : current.getLeaderId();
        if (leader == null || leader.isEmpty()) {
            throw new NoLeaderException("No leader is known right now (election in progress, or no quorum)", null,
                    Duration.ofSeconds(1));
        }
        if (leader.equals(serverId())) {
            throw new NoLeaderException("This node was just elected and is catching up", leader.toString(),
                    Duration.ofSeconds(1));
        }
        return leader;
    }

    @Override
    public synchronized void start() {
        PeerId serverId = PeerId.parsePeer(properties.address());
        if (serverId == null || serverId.getIp().equals("0.0.0.0")) {
            throw new IllegalStateException("flowraft.raft.address must be host:port of this node, was " + properties.address());
        }
        Configuration initial = new Configuration();
        if (!initial.parse(String.join(",", properties.initialPeers()))) {
            throw new IllegalStateException("flowraft.raft.peers must be host:port,... was " + properties.initialPeers());
        }
        boolean join = joinExisting != null && joinExisting.startsEmptyToJoin();
        if (properties.joining() || join) {
            // Never bootstrap a group this node is not part of: wait, empty, for the leader to add it.
            initial = new Configuration();
        }
        Path dataDir = Path.of(properties.dataDir());
        NodeOptions options = new NodeOptions();
        options.setFsm(fsm);
        options.setInitialConf(initial);
        options.setElectionTimeoutMs(properties.electionTimeoutMs());
        options.setSnapshotIntervalSecs(properties.snapshotIntervalSecs());
        options.setSnapshotLogIndexMargin(properties.snapshotLogIndexMargin());
        options.setLogUri(directory(dataDir.resolve("log")));
        options.setRaftMetaUri(directory(dataDir.resolve("raft_meta")));
        options.setSnapshotUri(directory(snapshotDir()));
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        RaftOptions raftOptions = new RaftOptions();
        raftOptions.setSync(true); // never false: a majority crash could lose acknowledged writes
        raftOptions.setMaxLogsInMemoryBytes(256L * 1024 * 1024);
        raftOptions.setMaxElectionDelayMs(properties.maxElectionDelayMs());
        options.setRaftOptions(raftOptions);

        fsm.reset();
        RpcServer server = RaftRpcServers.create(serverId.getEndpoint(), forwardProcessor);
        node = startNode(serverId, options, server);
        rpcServer = server;
        log.info("Raft node {} started in group {} with initial peers {}", serverId, properties.groupId(), initial);
        if (join) {
            joinExisting.askToBeAdded(node);
        }
    }

    /**
     * Starts the node as SOFAJRaft's {@code RaftGroupService} would, except when its init fails (for instance on a
     * snapshot that cannot be loaded): then the half-made node is shut down, releasing its RocksDB log and its
     * threads, and the failure says why, where SOFAJRaft says only "Fail to init node, please see the logs".
     */
    private Node startNode(PeerId serverId, NodeOptions options, RpcServer server) {
        // The node's init checks that an RPC server is registered at its endpoint.
        NodeManager.getInstance().addAddress(serverId.getEndpoint());
        Node created = RaftServiceFactory.createRaftNode(properties.groupId(), serverId);
        if (!created.init(options)) {
            created.shutdown();
            join(created);
            NodeManager.getInstance().removeAddress(serverId.getEndpoint());
            String snapshot = fsm.snapshotLoadFailure();
            throw new IllegalStateException("Raft node " + serverId + " could not start: "
                    + (snapshot != null ? snapshot : "SOFAJRaft could not initialize it; the log above says why"));
        }
        server.init(null);
        return created;
    }

    @Override
    public synchronized void stop() {
        shutdown(true);
    }

    /** Stops like a crash as far as Raft can tell: no leadership handover (the log is fsynced either way). */
    synchronized void halt() {
        shutdown(false);
    }

    private void shutdown(boolean handOver) {
        Node current = node;
        if (current == null) {
            return;
        }
        if (joinExisting != null) {
            joinExisting.stop();
        }
        if (handOver) {
            Handover handover = handOver(current, Duration.ofMillis(2L * properties.electionTimeoutMs()));
            if (handover.wasLeader()) {
                log.info("Leadership {} before shutdown", handover.handedOver() ? "handed over to " + handover.leader()
                        : "still here");
            }
        }
        rpcServer.shutdown();
        current.shutdown();
        join(current);
        NodeManager.getInstance().removeAddress(serverId().getEndpoint());
        rpcServer = null;
        node = null;
        log.info("Raft node {} stopped", properties.address());
    }

    private static void join(Node stopping) {
        try {
            stopping.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands leadership to the most caught-up follower (SOFAJRaft's choice for "any peer") when this node leads,
     * and waits until another node leads or {@code timeout} passed; starts again when SOFAJRaft gave up a transfer
     * (the target did not catch up within an election timeout). A follower, or a leader with no other voter,
     * answers at once. Safe to call while a handover is already running (a preStop, then SIGTERM): it waits for
     * the same outcome.
     */
    Handover handOver(Duration timeout) {
        Node current = node;
        if (current == null) {
            return new Handover(false, null, false);
        }
        return handOver(current, timeout);
    }

    private Handover handOver(Node current, Duration timeout) {
        if (!leadsOrTransfers(current)) {
            return new Handover(false, leaderOf(current), false);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Status refused = null;
        while ((leadsOrTransfers(current) || leaderOf(current) == null) && System.nanoTime() < deadline) {
            if (current.isLeader()) {
                Status status = current.transferLeadershipTo(PeerId.ANY_PEER);
                if (!status.isOk() && status.getRaftError() != RaftError.EBUSY) {
                    log.warn("Could not hand leadership over: {}", status);
                    break; // no other voter to hand it to, or no longer the leader
                }
                if (!status.isOk() && refused == null) {
                    log.info("Leadership handover waits: {}", status); // a membership change in progress
                }
                refused = status.isOk() ? null : status;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        String leader = leaderOf(current);
        return new Handover(true, leader, leader != null && !leader.equals(serverId().toString()));
    }

    /** Whether this node leads, or is handing leadership over and no other node leads yet. */
    private boolean leadsOrTransfers(Node current) {
        PeerId leader = current.getLeaderId();
        return current.isLeader() || (leader != null && leader.equals(serverId()));
    }

    private static String leaderOf(Node current) {
        PeerId leader = current.getLeaderId();
        return leader == null || leader.isEmpty() ? null : leader.toString();
    }

    @Override
    public boolean isRunning() {
        return node != null;
    }

    /** Starts after the web server (so the node can be called) and stops before it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private static String directory(Path path) {
        try {
            Files.createDirectories(path);
            return path.toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Raft directory " + path, e);
        }
    }
}
