package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.entity.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flowraft.raft.join-existing}: a node whose data dir holds no Raft state asks its peers, before it starts,
 * whether their group already exists without it. If one reports voters that do not include this node (a
 * StatefulSet scaled from 3 to 5: ordinals 3 and 4 start with a peer list naming all five, but the group has three
 * voters), the node starts with an empty configuration and asks to be added as a voter, through any peer, until it
 * is one. Otherwise (no peer answers: every pod of a first install starts at once; or they name this node) it
 * bootstraps from its peer list, as it would without the setting. A node with Raft state on disk asks nothing:
 * its membership is in its log.
 *
 * <p>The decision to join is written to the data dir ({@value #PENDING}) before the node starts, and removed once
 * the node is a voter: a node restarted half-way through a join resumes it rather than bootstrapping from a
 * peer list that is not the group's. Asking to join again is harmless (adding a member again does nothing), so a
 * lost answer, a leader change or a catch-up that took too long just means another attempt, with backoff.
 */
final class JoinExisting {

    private static final Logger log = LoggerFactory.getLogger(JoinExisting.class);
    static final String PENDING = "join-pending";
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final RaftProperties properties;
    private final LeaderForwarder forwarder;
    private final String self;
    private volatile CountDownLatch stopped = new CountDownLatch(0);
    private volatile Thread asking;

    JoinExisting(RaftProperties properties, LeaderForwarder forwarder) {
        this.properties = properties;
        this.forwarder = forwarder;
        this.self = RaftNode.endpointOf(properties.address());
    }

    /**
     * Whether this node must start with an empty configuration to join an existing group: called before it
     * starts. Asks the peers (each for at most about an election timeout) only when join-existing is set and
     * there is no Raft state on disk; remembers a decision to join on disk.
     */
    boolean startsEmptyToJoin() {
        if (!properties.joinExisting()) {
            return false;
        }
        Path dataDir = Path.of(properties.dataDir());
        if (Files.exists(dataDir.resolve(PENDING))) {
            log.info("Resuming the join of {}: it was not a voter yet when it stopped", self);
            return true;
        }
        if (hasRaftState(dataDir)) {
            log.info("join-existing: {} has Raft state in {}, so it starts from it", self, dataDir);
            return false;
        }
        Map<String, MembershipReport> reports = askPeers();
        for (Map.Entry<String, MembershipReport> report : reports.entrySet()) {
            if (report.getValue().excludes(self)) {
                log.info("join-existing: {} reports the group's voters {} (leader {}) without this node: {} starts empty"
                        + " and asks to be added", report.getKey(), report.getValue().voters(), report.getValue().leader(),
                        self);
                markPending(dataDir);
                return true;
            }
        }
        log.info("join-existing: no peer reports a group without {} (answers: {}): it starts from its peer list {}",
                self, reports, properties.initialPeers());
        return false;
    }

    /** Once the node runs with an empty configuration: asks to be added until it is a voter, on a thread of its own. */
    void askToBeAdded(Node node) {
        CountDownLatch stop = new CountDownLatch(1);
        stopped = stop;
        asking = Thread.ofPlatform().name("flowraft-join").daemon().start(() -> askUntilMember(node, stop));
    }

    /** Stops asking (the node is stopping); the decision stays on disk. */
    void stop() {
        stopped.countDown();
        Thread thread = asking;
        if (thread != null) {
            thread.interrupt(); // an attempt may wait for its answer for seconds
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            asking = null;
        }
    }

    private Map<String, MembershipReport> askPeers() {
        long timeoutMs = Math.max(1000, properties.electionTimeoutMs());
        Map<String, CompletableFuture<MembershipReport>> asked = new LinkedHashMap<>();
        for (PeerId peer : others()) {
            asked.put(peer.toString(), forwarder.askMembership(peer, timeoutMs)
                    .orTimeout(timeoutMs + 500, TimeUnit.MILLISECONDS));
        }
        Map<String, MembershipReport> reports = new LinkedHashMap<>();
        asked.forEach((peer, answer) -> {
            try {
                reports.put(peer, answer.join());
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                log.info("join-existing: {} could not tell its group: {}", peer, cause.getMessage());
            }
        });
        return reports;
    }

    private void askUntilMember(Node node, CountDownLatch stop) {
        List<PeerId> peers = others();
        Duration delay = FIRST_RETRY;
        for (int attempt = 0; stop.getCount() > 0 && !peers.isEmpty(); attempt++) {
            if (isVoter(node)) {
                joined("the group already names it");
                return;
            }
            PeerId via = peers.get(attempt % peers.size());
            try {
                forwarder.askToJoin(via).get(properties.commitTimeoutMs() * 2L + 4L * properties.electionTimeoutMs(),
                        TimeUnit.MILLISECONDS);
                joined("added as a voter through " + via);
                return;
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                log.info("Join attempt {} of {} through {} failed, next in {} ms: {}", attempt + 1, self, via,
                        delay.toMillis(), cause.getMessage());
            } catch (InterruptedException e) {
                log.info("{} stopped before it was added as a voter; it resumes the join when it starts again", self);
                return;
            }
            try {
                if (stop.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.info("{} stopped before it was added as a voter; it resumes the join when it starts again", self);
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
        }
    }

    private void joined(String how) {
        try {
            Files.deleteIfExists(Path.of(properties.dataDir()).resolve(PENDING));
        } catch (IOException e) {
            log.warn("Could not remove {} from {}: a restart asks to join again, which is harmless", PENDING,
                    properties.dataDir(), e);
        }
        log.info("{} joined the group: {}", self, how);
    }

    private boolean isVoter(Node node) {
        if (node instanceof NodeImpl impl) {
            Configuration conf = impl.getCurrentConf();
            return conf != null && conf.contains(PeerId.parsePeer(self));
        }
        return false;
    }

    /** The peers to ask: the peer list without this node. */
    private List<PeerId> others() {
        List<PeerId> others = new ArrayList<>();
        for (String peer : properties.initialPeers()) {
            PeerId id = PeerId.parsePeer(peer);
            if (id != null && !id.toString().equals(self)) {
                others.add(id);
            }
        }
        return others;
    }

    /** Whether SOFAJRaft has written anything into its log, metadata or snapshot directories under {@code dataDir}. */
    static boolean hasRaftState(Path dataDir) {
        for (String part : List.of("log", "raft_meta", "snapshot")) {
            Path dir = dataDir.resolve(part);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                if (files.anyMatch(Files::isRegularFile)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the Raft data dir " + dir, e);
            }
        }
        return false;
    }

    private static void markPending(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(PENDING), "This node decided to join an existing group and is not a voter"
                    + " yet; it resumes the join when it starts.\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the join in " + dataDir, e);
        }
    }
}
