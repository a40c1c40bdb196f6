package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.replication.AppliedFeed;
import io.flowraft.coordinator.replication.ApplyListener;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.PollSightings;
import io.flowraft.coordinator.replication.StateReader;
import io.flowraft.coordinator.replication.TaskArrivals;
import io.flowraft.coordinator.replication.WorkflowEnds;
import io.flowraft.coordinator.scheduling.EngineSettingsBootstrap;
import io.flowraft.coordinator.scheduling.InitialSettings;
import io.flowraft.coordinator.scheduling.LeaseExpiryScheduler;
import io.flowraft.coordinator.scheduling.RetentionScheduler;
import io.flowraft.coordinator.scheduling.Ticker;
import io.flowraft.coordinator.wakeup.PollSightingsRegistry;
import io.flowraft.coordinator.wakeup.TaskArrivalsRegistry;
import io.flowraft.coordinator.wakeup.WorkflowEndsRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Assembles the Raft side of a coordinator (state machine, node, proposer, forwarding, reads, long-poll and
 * workflow-end wake-ups, the leader's lease-expiry ticker) and owns its threads. One per coordinator process;
 * tests run several in one JVM, each with its own ports and data dir.
 */
final class RaftRuntime implements AutoCloseable {

    static final long TICK_MS = 100;

    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService snapshotWriter =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("flowraft-snapshot-writer").daemon().factory());
    private final ScheduledExecutorService readRetries =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("flowraft-read-retry").daemon().factory());
    private final EngineStateMachine fsm;
    private final Proposer proposer;
    private final LeaderForwarder forwarder;
    private final RaftNode node;
    private final TaskArrivalsRegistry arrivals;
    private final WorkflowEndsRegistry ends;
    private final PollSightingsRegistry sightings;
    private final LeaseExpiryScheduler expiry;
    private final Ticker ticker;
    private final RaftCommandGateway gateway;
    private final RaftStateReader reader;
    private final RaftClusterAdmin admin;
    private final RaftReadiness readiness;
    private final RaftLiveness liveness;
    private final LongSupplier leaderNow;

    /** @param securityMode {@code flowraft.security.mode}; {@code insecure-local} lets forwarding go unauthenticated */
    RaftRuntime(RaftProperties properties, String securityMode, InitialSettings initial, Clock clock,
            MeterRegistry registry) {
        this(properties, ClusterKey.of(properties, securityMode), initial, clock, registry, Engine::new,
                UnaryOperator.identity());
    }

    /**
     * Test seams: {@code newEngine} makes the empty engine each replica starts from (a faulty engine, say), and
     * {@code snapshotWrites} wraps the executor that writes snapshot files, so that a test can make a write fail as
     * a full disk or a shut-down executor would.
     */
    RaftRuntime(RaftProperties properties, ClusterKey key, InitialSettings initial, Clock clock, MeterRegistry registry,
            Supplier<Engine> newEngine, UnaryOperator<Executor> snapshotWrites) {
        RaftMetrics metrics = new RaftMetrics(registry);
        this.fsm = new EngineStateMachine(newEngine, snapshotWrites.apply(snapshotWriter),
                new SnapshotFile(Path.of(properties.dataDir())), metrics);
        RaftNode[] holder = new RaftNode[1];
        this.proposer = new Proposer(() -> holder[0].node(), fsm, clock, completions, metrics, properties);
        LeaderMembership membership = new LeaderMembership(() -> holder[0].node(), properties, completions);
        String self = RaftNode.endpointOf(properties.address());
        // A membership change may wait for a new peer to catch up, which SOFAJRaft gives an election timeout or two.
        this.forwarder = new LeaderForwarder(self, key, clock::millis, completions,
                properties.commitTimeoutMs(), properties.commitTimeoutMs() + 3L * properties.electionTimeoutMs());
        RaftClusterAdmin[] admins = new RaftClusterAdmin[1];
        ForwardProcessor.Peers peers = new ForwardProcessor.Peers() {
            @Override
            public MembershipReport report() {
                return holder[0].membershipReport();
            }

            @Override
            public CompletableFuture<Void> add(PeerId peer) {
                return admins[0].addPeer(peer.toString());
            }
        };
        this.node = new RaftNode(properties, fsm, new ForwardProcessor(self, key,
                new ReplayGuard(clock::millis), proposer, membership, completions, () -> holder[0].publishCommitIndex(),
                peers), new JoinExisting(properties, forwarder));
        holder[0] = node;
        this.gateway = new RaftCommandGateway(node, proposer, forwarder);
        AppliedIndexWaiters applied = new AppliedIndexWaiters(fsm::appliedIndex, completions);
        fsm.addListener(applied);
        this.reader = new RaftStateReader(node, fsm, completions, readRetries, applied, properties.readTimeoutMs());
        // The leader's own clock where it leads; elsewhere the leader's time as the applied stamps tell it.
        this.leaderNow = () -> proposer.isLeader() ? clock.millis() : fsm.leaderTime(clock::millis);
        this.arrivals = new TaskArrivalsRegistry(reader, leaderNow);
        fsm.addListener(arrivals);
        this.sightings = new PollSightingsRegistry(leaderNow, proposer::isLeader);
        fsm.addListener(sightings);
        this.ends = new WorkflowEndsRegistry(completions);
        fsm.addListener(ends);
        this.expiry = new LeaseExpiryScheduler(gateway, reader, clock);
        this.admin = new RaftClusterAdmin(node, fsm, properties, membership, forwarder, completions);
        admins[0] = admin;
        this.readiness = new RaftReadiness(node, fsm);
        metrics.logOnDisk(Path.of(properties.dataDir()).resolve("log"),
                () -> node.node() == null ? 0 : node.node().getLastLogIndex());
        registry.gauge("flowraft.raft.term", fsm, EngineStateMachine::term);
        registry.gauge("flowraft.raft.commit.index", node, n -> n.node() == null ? 0 : n.node().getLastCommittedIndex());
        registry.gauge("flowraft.raft.leader", node, n -> n.node() != null && n.node().isLeader() ? 1 : 0);
        registry.gauge("flowraft.poll.waiting", arrivals, TaskArrivalsRegistry::waiting);
        registry.gauge("flowraft.workflow.end.waiting", ends, WorkflowEndsRegistry::waiting);
        EngineSettingsBootstrap bootstrap = new EngineSettingsBootstrap(gateway, reader, initial);
        RetentionScheduler retention = new RetentionScheduler(gateway, reader, clock);
        this.ticker = new Ticker(TICK_MS, List.of(whileRunning(bootstrap::tick), whileRunning(expiry::tick),
                whileRunning(arrivals::tick), whileRunning(retention::tick)));
        this.liveness = new RaftLiveness(node, fsm, proposer::failure, ticker::failure);
    }

    private Runnable whileRunning(Runnable tick) {
        return () -> {
            if (node.node() != null) {
                tick.run();
            }
        };
    }

    RaftNode node() {
        return node;
    }

    CommandGateway gateway() {
        return gateway;
    }

    StateReader reader() {
        return reader;
    }

    EngineStateMachine fsm() {
        return fsm;
    }

    TaskArrivalsRegistry arrivalsRegistry() {
        return arrivals;
    }

    TaskArrivals arrivals() {
        return arrivals;
    }

    PollSightings sightings() {
        return sightings;
    }

    /** Apply listeners added before the node starts hear the whole replay of its log. */
    AppliedFeed appliedFeed() {
        return new AppliedFeed() {
            @Override
            public void addListener(ApplyListener listener) {
                fsm.addListener(listener);
            }

            @Override
            public long leaderNow() {
                return leaderNow.getAsLong();
            }
        };
    }

    WorkflowEnds ends() {
        return ends;
    }

    ClusterAdmin admin() {
        return admin;
    }

    RaftReadiness readiness() {
        return readiness;
    }

    RaftLiveness liveness() {
        return liveness;
    }

    Proposer proposer() {
        return proposer;
    }

    @Override
    public void close() {
        ticker.close();
        readRetries.shutdownNow();
        proposer.close();
        forwarder.close();
        snapshotWriter.shutdown();
        completions.shutdown();
    }
}
