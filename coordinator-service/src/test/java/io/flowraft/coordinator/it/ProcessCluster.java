package io.flowraft.coordinator.it;

import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.local.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** N coordinator processes on loopback with free ports and a temporary root for data and logs. */
final class ProcessCluster implements AutoCloseable {

    private final Path root;
    private final List<CoordinatorProcess> nodes = new ArrayList<>();

    ProcessCluster(int size, int electionTimeoutMs) {
        this(size, electionTimeoutMs, List.of());
    }

    /** With {@code extraArgs} (Spring properties) added to every coordinator's command line. */
    ProcessCluster(int size, int electionTimeoutMs, List<String> extraArgs) {
        try {
            root = Files.createTempDirectory("flowraft-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> peers = new ArrayList<>();
        List<Integer> httpPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            peers.add("127.0.0.1:" + FreePorts.next());
            httpPorts.add(FreePorts.next());
        }
        for (int i = 0; i < size; i++) {
            nodes.add(new CoordinatorProcess(httpPorts.get(i), peers.get(i), peers, root.resolve("node" + i),
                    root.resolve("node" + i + ".log"), electionTimeoutMs, extraArgs));
        }
    }

    /** Hands leadership to node {@code i} and waits until it leads. */
    void transferLeaderTo(int i, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (leader().orElse(-1) == i) {
                return true;
            }
            nodes.get(leader().orElseThrow()).client().transferLeader(nodes.get(i).raftAddress());
            return leader().orElse(-1) == i;
        });
    }

    ProcessCluster startAll(Duration readyWithin) {
        nodes.forEach(CoordinatorProcess::start);
        await().atMost(readyWithin).pollInterval(Duration.ofMillis(200))
                .until(() -> nodes.stream().allMatch(CoordinatorProcess::isReady));
        return this;
    }

    CoordinatorProcess node(int i) {
        return nodes.get(i);
    }

    int size() {
        return nodes.size();
    }

    /** The node that a live coordinator reports as leader, as this cluster's index. */
    Optional<Integer> leader() {
        for (CoordinatorProcess node : nodes) {
            if (!node.isAlive()) {
                continue;
            }
            try {
                ClusterView view = node.client().clusterStale();
                if (view.leader() != null) {
                    for (int i = 0; i < nodes.size(); i++) {
                        if (nodes.get(i).raftAddress().equals(view.leader()) && nodes.get(i).isAlive()) {
                            return Optional.of(i);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // not answering: try the next one
            }
        }
        return Optional.empty();
    }

    int awaitLeader(Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(50)).until(this::leader, Optional::isPresent).get();
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        for (CoordinatorProcess node : nodes) {
            try {
                List<String> lines = Files.readAllLines(node.logFile());
                all.append("==== ").append(node.logFile().getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> all.append(l).append('\n'));
            } catch (IOException e) {
                all.append("(no log for ").append(node.logFile()).append(")\n");
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        for (CoordinatorProcess node : nodes) {
            if (node.isAlive()) {
                node.resume();
            }
            node.kill();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
