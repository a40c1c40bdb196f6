package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.Task;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.codec.EntryCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.Commands;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes commands on the leader. Each command is stamped with the leader's clock, then a single thread
 * packs whatever is waiting (up to {@code maxBatch}) into one log entry: under load many commands share one
 * fsync and one replication round, at no added latency when idle. At most {@code maxInFlight} commands wait
 * or fly at once; beyond that the caller gets 429 at once rather than an unbounded queue.
 */
final class Proposer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Proposer.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private record Pending(byte[] command, CompletableFuture<Committed> future) {
    }

    private final Supplier<Node> node;
    private final EngineStateMachine fsm;
    private final Clock clock;
    private final Executor completions;
    private final RaftMetrics metrics;
    private final int maxBatch;
    private final Duration commitTimeout;
    private final Semaphore inFlight;
    private final ArrayBlockingQueue<Pending> queue;
    private final Thread batcher;
    private volatile boolean closed;
    private volatile Error injected;
    private volatile Error failure;

    Proposer(Supplier<Node> node, EngineStateMachine fsm, Clock clock, Executor completions, RaftMetrics metrics,
            RaftProperties properties) {
        this.node = node;
        this.fsm = fsm;
        this.clock = clock;
        this.completions = completions;
        this.metrics = metrics;
        this.maxBatch = properties.maxBatch();
        this.commitTimeout = Duration.ofMillis(properties.commitTimeoutMs());
        this.inFlight = new Semaphore(properties.maxInFlight());
        int maxInFlight = properties.maxInFlight();
        metrics.proposalsInFlight(() -> maxInFlight - inFlight.availablePermits());
        this.queue = new ArrayBlockingQueue<>(properties.maxInFlight());
        this.batcher = Thread.ofPlatform().name("flowraft-proposer").daemon().start(this::batchLoop);
    }

    /** Whether this node leads and has caught up, so proposals may go to it. */
    boolean isLeader() {
        return fsm.leaderTerm() > 0 && node.get() != null && node.get().isLeader();
    }

    CompletableFuture<Committed> propose(Command command) {
        if (!isLeader()) {
            return CompletableFuture.failedFuture(new NoLeaderException("This node is not the leader", null, RETRY_AFTER));
        }
        if (!inFlight.tryAcquire()) {
            metrics.overloaded();
            return CompletableFuture.failedFuture(new OverloadedException(
                    "Too many proposals in flight on this node", RefusalReason.PROPOSAL_QUEUE_FULL, RETRY_AFTER));
        }
        byte[] encoded = CommandCodec.encode(Commands.stamp(command, clock.millis()));
        metrics.commandProposed(encoded.length);
        CompletableFuture<Committed> future = new CompletableFuture<>();
        long proposedAt = System.nanoTime();
        future.whenComplete((r, e) -> {
            inFlight.release();
            if (e == null) {
                metrics.committed(System.nanoTime() - proposedAt);
            }
        });
        if (!queue.offer(new Pending(encoded, future))) { // cannot happen: the semaphore bounds the queue
            future.completeExceptionally(new OverloadedException("Proposal queue full", RefusalReason.PROPOSAL_QUEUE_FULL,
                    RETRY_AFTER));
        }
        return future.orTimeout(commitTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(thrown -> {
            Throwable e = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                    ? thrown.getCause() : thrown;
            if (e instanceof TimeoutException) {
                metrics.outcomeUnknown();
                return CompletableFuture.failedFuture(new OutcomeUnknownException(
                        "No commit within " + commitTimeout.toMillis() + " ms; the command may still commit", RETRY_AFTER));
            }
            if (e instanceof OutcomeUnknownException) {
                metrics.outcomeUnknown();
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    private void batchLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int bytes = EntryCodec.encodedSize(first.command());
                while (batch.size() < maxBatch && bytes < EntryCodec.MAX_ENTRY_BYTES / 2) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    bytes += EntryCodec.encodedSize(next.command());
                }
                propose(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                if (e instanceof Error error) {
                    // Caught so that this node goes on proposing until it is restarted, but remembered.
                    failure = error;
                }
                log.error("Proposal batch failed{}", e instanceof Error ? "; this node reports itself not live" : "", e);
                batch.forEach(p -> p.future().completeExceptionally(
                        new OutcomeUnknownException("Proposal failed: " + Objects.requireNonNullElse(e.getMessage(),
                                e.getClass().getSimpleName()), RETRY_AFTER)));
            } finally {
                batch.clear();
            }
        }
    }

    private void propose(List<Pending> batch) {
        Error error = injected;
        if (error != null) {
            injected = null;
            throw error;
        }
        long term = fsm.leaderTerm();
        List<CompletableFuture<Committed>> futures = batch.stream().map(Pending::future).toList();
        if (term < 0) {
            futures.forEach(f -> f.completeExceptionally(new NoLeaderException("Lost leadership before proposing", null,
                    RETRY_AFTER)));
            return;
        }
        byte[] entry = EntryCodec.encode(batch.stream().map(Pending::command).toList());
        // The term guards against proposing into a later term this node might lead without having caught up.
        node.get().apply(new Task(ByteBuffer.wrap(entry), new ProposalClosure(futures, completions), term));
    }

    /**
     * Why this node's proposals can no longer be trusted, or null while they can: the batch thread met an
     * {@link Error} (out of memory, a stack overflow), or it ended while this proposer is open, and nothing
     * proposes any more.
     */
    String failure() {
        Error error = failure;
        if (error != null) {
            return "the proposer thread met " + error;
        }
        return !closed && !batcher.isAlive() ? "the proposer thread has ended" : null;
    }

    /**
     * Test seam: the batch thread throws {@code error} on its next batch, as if proposing it had run out of
     * memory or stack, so that tests can watch the coordinator report itself not live.
     */
    void failNextBatch(Error error) {
        injected = error;
    }

    @Override
    public void close() {
        closed = true;
        batcher.interrupt();
        Pending p;
        while ((p = queue.poll()) != null) {
            p.future().completeExceptionally(new NoLeaderException("Coordinator is shutting down", null, RETRY_AFTER));
        }
    }
}
