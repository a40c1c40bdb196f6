package io.flowraft.worker.it;

import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The worker tests' view of the coordinator's shared in-JVM cluster fixture ({@link InProcessCluster}): real
 * coordinators (HTTP, Raft, engine) on free ports with temporary data dirs, deleted on {@link #close()}.
 */
final class CoordinatorCluster implements AutoCloseable {

    static {
        // SOFA's logback bridge does not fit logback 1.5; it must be off before any SOFA class loads.
        System.setProperty("logback.middleware.log.disable", "true");
    }

    private final InProcessCluster cluster;

    private CoordinatorCluster(InProcessCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code size} coordinators and waits until all are ready (a leader is elected and caught up). */
    static CoordinatorCluster start(int size) {
        return start(new InProcessCluster(size));
    }

    /** As {@link #start(int)}, for a cluster set up by the caller (extra arguments, initializers). */
    static CoordinatorCluster start(InProcessCluster cluster) {
        try {
            return new CoordinatorCluster(cluster.startAll());
        } catch (RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("The coordinators did not start", e);
        }
    }

    /** Coordinator i's application context. */
    org.springframework.context.ConfigurableApplicationContext context(int i) {
        return cluster.context(i);
    }

    int size() {
        return cluster.size();
    }

    URI uri(int i) {
        return cluster.baseUri(i);
    }

    /** Every coordinator's URI, comma-separated, as {@code flowraft.worker.coordinators} takes them. */
    String uris() {
        return cluster.baseUris();
    }

    FlowRaftClient client(int i) {
        return cluster.client(i);
    }

    /** A client of some running coordinator. */
    FlowRaftClient client() {
        for (int i = 0; i < size(); i++) {
            if (cluster.isRunning(i)) {
                return client(i);
            }
        }
        throw new IllegalStateException("No coordinator runs");
    }

    /**
     * Long polls waiting on the running coordinators now. A worker that stopped can leave its last long poll
     * waiting for up to its poll wait (a coordinator cannot tell that the client went away), and that poll may
     * still be granted a task: tests that share the cluster wait for this to reach 0 before they start.
     */
    int waitingPolls() {
        int waiting = 0;
        for (int i = 0; i < size(); i++) {
            if (cluster.isRunning(i)) {
                Gauge gauge = cluster.context(i).getBean(MeterRegistry.class).find("flowraft.poll.waiting").gauge();
                waiting += gauge == null ? 0 : (int) gauge.value();
            }
        }
        return waiting;
    }

    /** Coordinator i's {@code flowraft.raft.data-dir} (its Raft log, metadata and snapshots). */
    Path dataDir(int i) {
        return Path.of(cluster.context(i).getEnvironment().getRequiredProperty("flowraft.raft.data-dir"));
    }

    void stop(int i) {
        cluster.stop(i);
    }

    Optional<Integer> leader() {
        return cluster.leader();
    }

    int awaitLeader() {
        return cluster.awaitLeader(Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        cluster.close();
    }
}
