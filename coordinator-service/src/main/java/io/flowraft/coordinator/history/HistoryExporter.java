package io.flowraft.coordinator.history;

import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: moves committed history to PostgreSQL. Each round takes the oldest unexported log entries from
 * the replicated state ({@link ExportCapture}), writes them in one transaction, and then commits
 * {@code AcknowledgeExport} through Raft, so the export position is replicated: a new leader goes on from it,
 * re-exporting at most the batch the old one wrote without acknowledging, which PostgreSQL takes idempotently.
 * Nothing here holds the Raft log back: unexported history waits in the replicated state (and counts against its
 * budget), never in the log.
 *
 * <p>Without a database the position is acknowledged all the same: retention then lets finished workflows go,
 * and their past is gone. While PostgreSQL fails, rounds back off up to {@value #MAX_BACKOFF_MS} ms and the work
 * of the cluster goes on; the lag grows, and a state that fills up with finished workflows waiting for the export
 * refuses new work with 429 {@code history-backlog}.
 */
public final class HistoryExporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryExporter.class);
    static final int MAX_WORKFLOWS_PER_BATCH = 500;
    static final long IDLE_MS = 200;
    static final long MAX_BACKOFF_MS = 5_000;
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(10);

    private final CommandGateway gateway;
    private final StateReader state;
    private final HistoryStores stores;
    private final Thread thread;
    private final Counter written;
    private final Counter failed;
    private volatile boolean running = true;
    private long backoffMs;

    public HistoryExporter(CommandGateway gateway, StateReader state, HistoryStores stores, MeterRegistry registry) {
        this.gateway = gateway;
        this.state = state;
        this.stores = stores;
        this.written = Counter.builder("flowraft.history.export.batches").tag("result", "written")
                .description("Export batches written to history (or let go without a database)").register(registry);
        this.failed = Counter.builder("flowraft.history.export.batches").tag("result", "failed")
                .description("Export rounds that failed (PostgreSQL, or the acknowledgement's commit)").register(registry);
        ExportLag.register(registry, state);
        this.thread = Thread.ofPlatform().name("flowraft-history-exporter").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            long pause = IDLE_MS;
            try {
                pause = round() ? 0 : IDLE_MS;
                backoffMs = 0;
            } catch (RuntimeException e) {
                failed.increment();
                backoffMs = Math.min(Math.max(backoffMs * 2, IDLE_MS), MAX_BACKOFF_MS);
                pause = backoffMs;
                log.warn("History export failed, trying again in {} ms: {}", backoffMs, e.getMessage());
            }
            if (pause > 0 && running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
            }
        }
    }

    /** One round; whether it exported a full batch (more may be waiting). */
    boolean round() {
        if (!gateway.leads()) {
            return false;
        }
        record Taken(String clusterId, ExportCapture capture) {
        }
        Taken taken = state.local(s -> s.clusterId() == null || s.unexported().isEmpty() ? null
                : new Taken(s.clusterId(), ExportCapture.take(s, MAX_WORKFLOWS_PER_BATCH)));
        if (taken == null || taken.capture().throughIndex() <= taken.capture().afterIndex()) {
            return false;
        }
        Optional<HistoryStore> store = stores.forCluster(taken.clusterId());
        if (store.isPresent()) {
            store.get().write(ExportRows.of(taken.capture()));
        }
        gateway.commit(new AcknowledgeExport(0, taken.capture().throughIndex()))
                .orTimeout(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        written.increment();
        return taken.capture().workflows().size() >= MAX_WORKFLOWS_PER_BATCH;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
