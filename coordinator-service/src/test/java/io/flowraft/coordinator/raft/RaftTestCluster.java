package io.flowraft.coordinator.raft;

import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.scheduling.InitialSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * N real SOFAJRaft nodes in this JVM, each a full {@link RaftRuntime} with its own free port and data dir,
 * for tests of the Raft layer without HTTP. Nodes can be halted (like a crash: no leadership handover),
 * restarted on the same data dir, or wiped.
 */
final class RaftTestCluster implements AutoCloseable {

    static final int ELECTION_TIMEOUT_MS = 1000;

    private final Path root;
    private final List<String> addresses = new ArrayList<>();
    /** Addresses named in peer lists for nodes not added yet ({@link #addJoiningNode}). */
    private final Deque<String> reserved = new ArrayDeque<>();
    private final List<RaftRuntime> runtimes = new ArrayList<>();
    private final List<SimpleMeterRegistry> registries = new ArrayList<>();
    private final List<RaftProperties> properties = new ArrayList<>();
    private final String groupId;
    private final List<Clock> clocks = new ArrayList<>();
    private Supplier<Engine> engines = Engine::new;
    private String secret;
    private String securityMode = "";

    RaftTestCluster(int size, int snapshotIntervalSecs) {
        try {
            root = Files.createTempDirectory("flowraft-raft-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        groupId = "test-" + Long.toHexString(System.nanoTime());
        secret = randomSecret();
        for (int i = 0; i < size; i++) {
            addresses.add("127.0.0.1:" + FreePorts.next());
        }
        for (int i = 0; i < size; i++) {
            properties.add(new RaftProperties(addresses.get(i), addresses, root.resolve("node" + i).toString(), groupId,
                    ELECTION_TIMEOUT_MS, 300, snapshotIntervalSecs, 0, 4096, 512, 5000, 5000, secret, false, Duration.ofSeconds(15)));
            runtimes.add(null);
            registries.add(null);
            clocks.add(Clock.systemUTC());
        }
    }

    RaftTestCluster startAll() {
        for (int i = 0; i < size(); i++) {
            start(i);
        }
        return this;
    }

    /** Node i stamps and waits by this clock from its next start on (a skewed clock, say). */
    RaftTestCluster withClock(int i, Clock clock) {
        clocks.set(i, clock);
        return this;
    }

    /**
     * Every node forwards with this cluster secret (blank: none) in this {@code flowraft.security.mode} from its
     * next start on.
     */
    RaftTestCluster withSecurity(String secret, String securityMode) {
        this.secret = secret;
        this.securityMode = securityMode;
        for (int i = 0; i < size(); i++) {
            properties.set(i, withSecret(properties.get(i), secret));
        }
        return this;
    }

    /** The same properties with another cluster secret. */
    static RaftProperties withSecret(RaftProperties p, String secret) {
        return new RaftProperties(p.address(), p.peers(), p.dataDir(), p.groupId(), p.electionTimeoutMs(),
                p.maxElectionDelayMs(), p.snapshotIntervalSecs(), p.snapshotLogIndexMargin(), p.maxInFlight(),
                p.maxBatch(), p.commitTimeoutMs(), p.readTimeoutMs(), secret, p.joinExisting(), p.handoverTimeout());
    }

    /** Every node starts with {@code flowraft.raft.join-existing=true} from its next start on. */
    RaftTestCluster withJoinExisting() {
        for (int i = 0; i < size(); i++) {
            properties.set(i, withJoinExisting(properties.get(i), properties.get(i).peers()));
        }
        return this;
    }

    private static RaftProperties withJoinExisting(RaftProperties p, List<String> peers) {
        return new RaftProperties(p.address(), peers, p.dataDir(), p.groupId(), p.electionTimeoutMs(),
                p.maxElectionDelayMs(), p.snapshotIntervalSecs(), p.snapshotLogIndexMargin(), p.maxInFlight(),
                p.maxBatch(), p.commitTimeoutMs(), p.readTimeoutMs(), p.clusterSecret(), true, p.handoverTimeout());
    }

    /**
     * Adds a node, not started, with an empty data dir and {@code join-existing}, whose peer list names every node
     * so far and {@code more} nodes after it (added by later calls), as a StatefulSet scaled up names all ordinals.
     * Returns its number.
     */
    int addJoiningNode(int more) {
        int i = size();
        addresses.add(reserved.isEmpty() ? "127.0.0.1:" + FreePorts.next() : reserved.removeFirst());
        for (int k = 0; k < more; k++) {
            reserved.add("127.0.0.1:" + FreePorts.next());
        }
        List<String> peers = new ArrayList<>(addresses);
        peers.addAll(reserved);
        RaftProperties template = properties.get(0);
        properties.add(new RaftProperties(addresses.get(i), peers, root.resolve("node" + i).toString(), groupId,
                template.electionTimeoutMs(), template.maxElectionDelayMs(), template.snapshotIntervalSecs(),
                template.snapshotLogIndexMargin(), template.maxInFlight(), template.maxBatch(), template.commitTimeoutMs(),
                template.readTimeoutMs(), secret, true, template.handoverTimeout()));
        runtimes.add(null);
        registries.add(null);
        clocks.add(Clock.systemUTC());
        return i;
    }

    /** Starts the nodes {@code nodes} at once, each on a thread of its own, as pods of a StatefulSet start. */
    void startTogether(List<Integer> nodes) {
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        for (int i : nodes) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    start(i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    /** Every node starts from engines this makes (a faulty engine, say) from its next start on. */
    RaftTestCluster withEngines(Supplier<Engine> engines) {
        this.engines = engines;
        return this;
    }

    void start(int i) {
        start(i, UnaryOperator.identity());
    }

    /** Starts node i with its snapshot writes going through {@code snapshotWrites} (see {@link RaftRuntime}). */
    void start(int i, UnaryOperator<Executor> snapshotWrites) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RaftRuntime runtime = new RaftRuntime(properties.get(i), ClusterKey.of(properties.get(i), securityMode),
                InitialSettings.DEFAULT, clocks.get(i), registry, engines,
                snapshotWrites);
        try {
            runtime.node().start();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        runtimes.set(i, runtime);
        registries.set(i, registry);
    }

    /** A cluster secret of its own for each test cluster, as an operator would generate one. */
    static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The Raft properties of node i. */
    RaftProperties properties(int i) {
        return properties.get(i);
    }

    /** The Raft group of this cluster. */
    String groupId() {
        return groupId;
    }

    /** The cluster secret every node of this cluster shares. */
    String secret() {
        return secret;
    }

    /** The metrics of node i since it last started. */
    MeterRegistry registry(int i) {
        return registries.get(i);
    }

    /** Stops node i without handing leadership over, as a crash would. */
    void halt(int i) {
        RaftRuntime runtime = runtimes.get(i);
        if (runtime != null) {
            runtime.node().halt();
            runtime.close();
            runtimes.set(i, null);
        }
    }

    void wipe(int i) {
        deleteRecursively(dataDir(i));
    }

    Path dataDir(int i) {
        return Path.of(properties.get(i).dataDir());
    }

    int size() {
        return addresses.size();
    }

    String address(int i) {
        return addresses.get(i);
    }

    RaftRuntime node(int i) {
        return runtimes.get(i);
    }

    boolean isRunning(int i) {
        return runtimes.get(i) != null;
    }

    Optional<Integer> leader() {
        for (int i = 0; i < size(); i++) {
            RaftRuntime r = runtimes.get(i);
            if (r != null && r.node().node() != null && r.node().node().isLeader() && r.admin().status().leader() != null
                    && r.gateway() != null && r.readiness().health().getStatus().getCode().equals("UP")) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * A leader that has also committed the cluster's engine limits (the first leader proposes them at once), so
     * a test's own commands are the only ones that follow.
     */
    int awaitLeader(Duration within) {
        int leader = await().atMost(within).pollInterval(Duration.ofMillis(20)).until(this::leader, Optional::isPresent)
                .get();
        await().atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> node(leader).reader().local(s -> s.limitsConfigured()));
        return leader;
    }

    /** Waits until every running node has applied the same entries and holds the same state. */
    void awaitSameState(Duration within) {
        await().atMost(within).until(() -> {
            Set<String> digests = new HashSet<>();
            Set<Long> indexes = new HashSet<>();
            for (int i = 0; i < size(); i++) {
                if (isRunning(i)) {
                    var status = node(i).admin().status();
                    digests.add(status.stateDigest());
                    indexes.add(status.appliedIndex());
                }
            }
            return digests.size() == 1 && indexes.size() == 1;
        });
    }

    int anyFollower(int leader) {
        for (int i = 0; i < size(); i++) {
            if (i != leader && isRunning(i)) {
                return i;
            }
        }
        throw new IllegalStateException("No running follower");
    }

    @Override
    public void close() {
        for (int i = 0; i < size(); i++) {
            halt(i);
        }
        deleteRecursively(root);
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
