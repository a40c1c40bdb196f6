package io.flowraft.bench.peer;

import io.flowraft.bench.peer.PeerSettings.Chaining;
import io.flowraft.bench.peer.PeerSettings.Polling;
import io.flowraft.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The peer baseline's options, mixed into {@code ./flowraft bench}. The load ({@code --workflows}, {@code --warmup},
 * {@code --clients}) is the bench's own, so the peer runs at the FlowRaft run's depth unless told otherwise.
 */
public final class PeerOptions {

    @Option(names = "--peer", description = "Also run the PostgreSQL job-queue peer (db-scheduler, chain shape, the "
            + "same --workflows, --warmup and --clients, workers in this JVM) once the cluster is gone, and report "
            + "FlowRaft's tasks/s against it.")
    boolean enabled;

    @Option(names = "--peer-only", description = "Run the peer alone: no cluster (implies --peer).")
    boolean only;

    @Option(names = "--peer-runs", description = "Peer runs, each on a fresh table; the median is reported. "
            + "Default: ${DEFAULT-VALUE}")
    int runs = 3;

    @Option(names = "--peer-jdbc-url", description = "The peer's PostgreSQL; it creates and drops the schema "
            + "flowraft_peer there. Default: ${DEFAULT-VALUE}")
    String jdbcUrl = PeerSettings.DEFAULT_JDBC_URL;

    @Option(names = "--peer-threads", description = "db-scheduler's worker threads. Default: --workers x "
            + "--worker-slots, the FlowRaft run's task slots.")
    Integer threads;

    @Option(names = "--peer-connections", description = "HikariCP pool size. Default: ${DEFAULT-VALUE}")
    int connections = PeerSettings.DEFAULT_CONNECTIONS;

    @Option(names = "--peer-poll-interval", converter = DurationConverter.class, description = "db-scheduler's "
            + "polling interval (immediate execution is on as well). Default: 10ms")
    Duration pollInterval = PeerSettings.DEFAULT_POLL_INTERVAL;

    @Option(names = "--peer-polling", description = "LOCK_AND_FETCH (one UPDATE ... FOR UPDATE SKIP LOCKED claims a "
            + "batch) or FETCH (db-scheduler's default: select, then claim each). Default: ${DEFAULT-VALUE}")
    Polling polling = Polling.LOCK_AND_FETCH;

    @Option(names = "--peer-chaining", description = "REPLACE (a step's completion replaces its row with the next "
            + "step, one UPDATE) or CLIENT (the step schedules the next through the scheduler client, then its row "
            + "is deleted). Default: ${DEFAULT-VALUE}")
    Chaining chaining = Chaining.REPLACE;

    public boolean enabled() {
        return enabled || only;
    }

    public boolean only() {
        return only;
    }

    public int runs() {
        return Math.max(runs, 1);
    }

    /** The settings for the bench's load, {@code taskSlots} being the FlowRaft run's workers x slots. */
    public PeerSettings settings(int workflows, int warmup, int clients, int taskSlots) {
        return PeerSettings.chain(jdbcUrl, workflows, warmup, clients, threads != null ? threads : Math.max(taskSlots, 1))
                .withConnections(connections).withPollInterval(pollInterval).withPolling(polling)
                .withChaining(chaining);
    }
}
