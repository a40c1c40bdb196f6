package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.storage.snapshot.Snapshot;
import io.flowraft.coordinator.replication.ClusterAdmin.SnapshotTaken;
import io.flowraft.coordinator.replication.SnapshotFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Takes a snapshot on this node when an operator asks ({@code POST /api/v1/cluster/snapshot}), rather than on
 * SOFAJRaft's timer, and reports the snapshot then on disk: its last included index (the name of its
 * directory) and the size of its state file.
 */
final class SnapshotTrigger {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final RaftNode raftNode;
    private final Executor executor;

    SnapshotTrigger(RaftNode raftNode, Executor executor) {
        this.raftNode = raftNode;
        this.executor = executor;
    }

    CompletableFuture<SnapshotTaken> takeNow() {
        Node node = raftNode.node();
        if (node == null) {
            return CompletableFuture.failedFuture(new SnapshotFailedException("The Raft node is not running", RETRY_AFTER));
        }
        long started = System.nanoTime();
        CompletableFuture<Status> saved = new CompletableFuture<>();
        start(node, saved::complete);
        return saved.thenApplyAsync(status -> {
            if (!status.isOk()) {
                throw new SnapshotFailedException("The snapshot was not taken: " + status, RETRY_AFTER);
            }
            return latest(Duration.ofNanos(System.nanoTime() - started));
        }, executor);
    }

    /**
     * SOFAJRaft (1.4.1, {@code SnapshotExecutorImpl.doSnapshot}) cancels any snapshot, not only a scheduled
     * one, when fewer than {@code snapshotLogIndexMargin} entries were applied since the last; an operator
     * asking for one wants it now. The margin is read once, synchronously inside {@code Node.snapshot}, so it
     * is lifted around that call only; a scheduled snapshot that starts meanwhile may skip the margin too,
     * which does no harm.
     */
    private synchronized void start(Node node, Closure done) {
        NodeOptions options = node.getOptions();
        int margin = options.getSnapshotLogIndexMargin();
        options.setSnapshotLogIndexMargin(0);
        try {
            node.snapshot(done);
        } finally {
            options.setSnapshotLogIndexMargin(margin);
        }
    }

    /** The newest snapshot on disk: SOFAJRaft names each directory after its last included index. */
    private SnapshotTaken latest(Duration took) {
        try (Stream<Path> entries = Files.list(raftNode.snapshotDir())) {
            Path newest = entries.filter(p -> p.getFileName().toString().startsWith(Snapshot.JRAFT_SNAPSHOT_PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve(SnapshotFile.NAME)))
                    .max((a, b) -> Long.compare(index(a), index(b)))
                    .orElseThrow(() -> new SnapshotFailedException("No snapshot found in " + raftNode.snapshotDir(),
                            RETRY_AFTER));
            return new SnapshotTaken(index(newest), Files.size(newest.resolve(SnapshotFile.NAME)), took);
        } catch (IOException | UncheckedIOException e) {
            throw new SnapshotFailedException("Cannot read the snapshot directory " + raftNode.snapshotDir() + ": "
                    + e.getMessage(), RETRY_AFTER);
        }
    }

    private static long index(Path snapshotDir) {
        return Long.parseLong(snapshotDir.getFileName().toString().substring(Snapshot.JRAFT_SNAPSHOT_PREFIX.length()));
    }
}
