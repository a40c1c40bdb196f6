package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.Changes;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.EntryCodec;
import io.flowraft.coordinator.engine.codec.UnsupportedFormatException;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.replication.ApplyListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOFAJRaft state machine: decodes each committed entry, applies its commands to the engine in order,
 * and answers the proposer's closure. Snapshots are the engine's own canonical encoding; loading one replaces
 * the engine wholesale. The engine lives only in memory and starts empty: SOFAJRaft loads the latest
 * snapshot and replays the log after it, which is why the snapshot carries its applied index.
 *
 * <p>Reads from other threads go through {@link #read}, under a read lock the apply loop takes for writing.
 */
final class EngineStateMachine extends StateMachineAdapter {

    private static final Logger log = LoggerFactory.getLogger(EngineStateMachine.class);

    private final Supplier<Engine> newEngine;
    private final Executor snapshotWriter;
    private final SnapshotFile snapshotFile;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<ApplyListener> listeners = new CopyOnWriteArrayList<>();
    private final RaftMetrics metrics;
    private Engine engine;
    private volatile long appliedIndex;
    private volatile long leaderTerm = -1;
    private volatile long term;
    private volatile boolean error;
    private volatile String errorStatus;
    private volatile String snapshotLoadFailure;
    /** The latest leader stamp applied, and when (this node's monotonic clock): see {@link #leaderTime}. */
    private volatile LeaderStamp lastStamp;

    private record LeaderStamp(long millis, long appliedAtNanos) {
    }

    /** @param newEngine an empty engine, as every replica starts (with the default limits until configured) */
    EngineStateMachine(Supplier<Engine> newEngine, Executor snapshotWriter, SnapshotFile snapshotFile,
            RaftMetrics metrics) {
        this.newEngine = newEngine;
        this.snapshotWriter = snapshotWriter;
        this.snapshotFile = snapshotFile;
        this.metrics = metrics;
        this.engine = newEngine.get();
    }

    /**
     * Empties the state before the node (re)starts: SOFAJRaft rebuilds it from the latest snapshot and the
     * log after it, and replaying onto anything else would apply entries twice.
     */
    void reset() {
        lock.writeLock().lock();
        try {
            engine = newEngine.get();
            appliedIndex = 0;
            leaderTerm = -1;
            error = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    void addListener(ApplyListener listener) {
        listeners.add(listener);
    }

    /**
     * Decodes each committed entry, applies its commands, answers the proposer and tells the listeners what
     * changed. Nothing a command carries can make this throw: the engine answers every bad or failing command as
     * a rejection. The one entry that stops this node is one written by a newer FlowRaft (an unknown format or
     * command tag): applying it some other way would diverge from the replicas that understood it, so the node
     * goes to ERROR (liveness DOWN) with a message saying to upgrade it.
     */
    @Override
    public void onApply(Iterator it) {
        while (it.hasNext()) {
            long started = System.nanoTime();
            long index = it.getIndex();
            Closure done = it.done();
            List<CommandResult> results;
            Batch batch = new Batch();
            try {
                List<Command> commands = EntryCodec.decode(it.getData());
                results = applyAll(index, commands, batch);
            } catch (UnsupportedFormatException e) {
                log.error("Stopping: log entry {} cannot be applied by this version of FlowRaft. {}", index, e.getMessage());
                it.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE, "Log entry %d: %s", index, e.getMessage()));
                return;
            } catch (CodecException e) {
                // Every replica reads the same bytes, so every replica skips this entry the same way.
                log.error("Skipping undecodable log entry {}: {}", index, e.getMessage());
                results = List.of(Rejection.of(ProblemType.INTERNAL, "undecodable log entry " + index));
            }
            appliedIndex = index;
            if (done instanceof ProposalClosure proposal) {
                proposal.results(index, results);
            }
            if (done != null) {
                done.run(Status.OK());
            }
            metrics.applied(index, results.size(), System.nanoTime() - started);
            notifyListeners(batch.toApplied(index));
            it.next();
        }
    }

    private void notifyListeners(ApplyListener.Applied entry) {
        for (ApplyListener listener : listeners) {
            listener.applied(entry);
        }
    }

    /** What the commands of one entry changed between them, for the listeners. */
    private static final class Batch {
        private final Map<String, Integer> readied = new TreeMap<>();
        private final Set<String> ended = new HashSet<>();
        private final Map<String, Long> polled = new TreeMap<>();
        private boolean slotsFreed;
        private long stamp;

        /** A command applied: its stamp, and the types it polled for unless the engine refused it. */
        void command(Command command, CommandResult result) {
            stamp = Math.max(stamp, command.now());
            if (command instanceof LeaseTasks poll && !(result instanceof Rejection)) {
                poll.taskTypes().forEach(type -> polled.merge(type, poll.now(), Math::max));
            }
        }

        void add(Changes changes) {
            changes.readied().forEach((type, count) -> readied.merge(type, count, Integer::sum));
            ended.addAll(changes.endedWorkflows());
            slotsFreed |= changes.slotsFreed();
        }

        ApplyListener.Applied toApplied(long index) {
            return new ApplyListener.Applied(index, readied, slotsFreed, ended, false, stamp, polled);
        }
    }

    private List<CommandResult> applyAll(long index, List<Command> commands, Batch batch) {
        List<CommandResult> results = new ArrayList<>(commands.size());
        lock.writeLock().lock();
        try {
            long stamp = 0;
            for (Command command : commands) {
                stamp = Math.max(stamp, command.now());
                Engine.Applied applied = engine.applyWithEvents(index, command);
                if (applied.failure() != null) {
                    // An engine bug, answered as a rejection and undone on every replica alike; worth a stack trace.
                    log.error("Engine failed on {} at index {}; the command was rejected and changed nothing",
                            command.getClass().getSimpleName(), index, applied.failure());
                }
                results.add(applied.result());
                batch.add(applied.changes());
                batch.command(command, applied.result());
                if (!applied.events().isEmpty()) {
                    tellCommandApplied(command.now(), applied.events());
                }
            }
            if (stamp > 0 && (lastStamp == null || stamp >= lastStamp.millis())) {
                lastStamp = new LeaderStamp(stamp, System.nanoTime());
            }
        } finally {
            lock.writeLock().unlock();
        }
        return results;
    }

    /** A listener's failure is logged and goes no further: what the engine applied stands either way. */
    private void tellCommandApplied(long now, List<Event> events) {
        for (ApplyListener listener : listeners) {
            try {
                listener.commandApplied(now, events, engine.state());
            } catch (RuntimeException e) {
                log.error("Apply listener {} failed on a command's events", listener.getClass().getSimpleName(), e);
            }
        }
    }

    /**
     * The leader's clock as this node can tell it, in epoch milliseconds: the latest stamp the leader put on a
     * command applied here, advanced by this node's monotonic clock since. Never ahead of the leader by more than
     * the clocks' drift; behind it by the commit delay, and by more while the log is idle or replaying old
     * entries, which only delays what waits for it. {@code fallback} until a stamp was applied.
     */
    long leaderTime(LongSupplier fallback) {
        LeaderStamp stamp = lastStamp;
        return stamp == null ? fallback.getAsLong()
                : stamp.millis() + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stamp.appliedAtNanos());
    }

    /** Runs a query against the current state, excluding concurrent applies. */
    <T> T read(Function<EngineReadState, T> query) {
        lock.readLock().lock();
        try {
            return query.apply(engine.state());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The state digest together with the applied index it describes, read atomically. */
    record Digest(long appliedIndex, String sha256) {
    }

    Digest digestAtAppliedIndex() {
        lock.readLock().lock();
        try {
            return new Digest(engine.state().lastAppliedIndex(), engine.digest());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        long started = System.nanoTime();
        // SOFAJRaft answers every later snapshot with EBUSY until this one's closure has run, and running it twice
        // would end the same save twice: whatever fails, it runs exactly once.
        Closure once = runOnce(done);
        try {
            // Copied on the apply thread (it blocks applies, so it must be quick); written to disk elsewhere.
            byte[] snapshot;
            lock.readLock().lock();
            try {
                snapshot = engine.snapshot();
            } finally {
                lock.readLock().unlock();
            }
            snapshotWriter.execute(() -> once.run(writeSnapshot(writer, snapshot, started)));
        } catch (Throwable e) {
            once.run(snapshotSaveFailed(writer, e));
        }
    }

    private Status writeSnapshot(SnapshotWriter writer, byte[] snapshot, long started) {
        try {
            long bytes = snapshotFile.write(Path.of(writer.getPath()), snapshot);
            if (!writer.addFile(SnapshotFile.NAME)) {
                return snapshotSaveFailed(writer, new IllegalStateException(
                        "SOFAJRaft did not take " + SnapshotFile.NAME + " into the snapshot"));
            }
            metrics.snapshotSaved(bytes, System.nanoTime() - started);
            return Status.OK();
        } catch (Throwable e) {
            return snapshotSaveFailed(writer, e);
        }
    }

    /**
     * Never EIO, which SOFAJRaft answers by putting the node in ERROR ({@code SnapshotExecutorImpl
     * .onSnapshotSaveDone}): a failed snapshot loses nothing, as the log is kept until a later one succeeds.
     */
    private static Status snapshotSaveFailed(SnapshotWriter writer, Throwable e) {
        log.error("Failed to save a snapshot to {}; the log is kept until a later snapshot succeeds", writer.getPath(), e);
        return new Status(RaftError.ESTATEMACHINE, "Failed to save the snapshot: %s", e);
    }

    private static Closure runOnce(Closure done) {
        AtomicBoolean ran = new AtomicBoolean();
        return status -> {
            if (ran.compareAndSet(false, true)) {
                done.run(status);
            }
        };
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        long started = System.nanoTime();
        Path file = Path.of(reader.getPath(), SnapshotFile.NAME);
        try {
            if (reader.getFileMeta(SnapshotFile.NAME) == null) {
                return snapshotLoadFailed(snapshotFile.unusable(file, "the snapshot's list of files does not name it"),
                        null);
            }
            byte[] snapshot = snapshotFile.read(file.getParent());
            Engine restored = Engine.restore(snapshot);
            lock.writeLock().lock();
            try {
                engine = restored;
            } finally {
                lock.writeLock().unlock();
            }
            long index = restored.state().lastAppliedIndex();
            appliedIndex = index;
            snapshotLoadFailure = null;
            notifyListeners(ApplyListener.Applied.snapshotLoaded(index));
            long nanos = System.nanoTime() - started;
            metrics.snapshotLoaded(nanos);
            log.info("Loaded snapshot at applied index {} ({} bytes) in {} ms", index, snapshot.length,
                    TimeUnit.NANOSECONDS.toMillis(nanos));
            return true;
        } catch (SnapshotFile.UnusableSnapshotException e) {
            return snapshotLoadFailed(e.getMessage(), null);
        } catch (IOException e) {
            return snapshotLoadFailed(snapshotFile.unusable(file, "reading it failed: " + e), e);
        } catch (CodecException e) {
            return snapshotLoadFailed(snapshotFile.unusable(file, "it is intact but the engine cannot decode it ("
                    + e.getMessage() + "): an incompatible FlowRaft version or a bug wrote it"), e);
        } catch (Throwable e) {
            // Returned rather than thrown: SOFAJRaft would wait for this load forever, at start as later.
            return snapshotLoadFailed("Loading snapshot file " + file + " failed: " + e, e);
        }
    }

    /**
     * At node start SOFAJRaft answers false by failing the node's init ({@code SnapshotExecutorImpl.init}), which
     * {@link RaftNode} turns into a startup failure carrying this message; later (a snapshot installed from the
     * leader) by putting the node in ERROR ({@code FSMCallerImpl.doSnapshotLoad}), which liveness reports with it.
     */
    private boolean snapshotLoadFailed(String message, Throwable cause) {
        snapshotLoadFailure = message;
        log.error(message, cause);
        return false;
    }

    /** Why the last snapshot could not be loaded and what to do about it; null once one loads. */
    String snapshotLoadFailure() {
        return snapshotLoadFailure;
    }

    @Override
    public void onLeaderStart(long term) {
        // Called once this term's configuration entry is applied: local state already holds every earlier entry.
        this.term = term;
        this.leaderTerm = term;
        metrics.leaderChanged();
        log.info("Became leader in term {}", term);
        super.onLeaderStart(term);
    }

    @Override
    public void onLeaderStop(Status status) {
        this.leaderTerm = -1;
        log.info("Stopped leading: {}", status);
        super.onLeaderStop(status);
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        this.term = ctx.getTerm();
        metrics.leaderChanged();
        super.onStartFollowing(ctx);
    }

    @Override
    public void onError(RaftException e) {
        error = true;
        errorStatus = e.getStatus() == null ? e.toString() : e.getStatus().getErrorMsg();
        log.error("Raft node entered ERROR state: {}", e.getStatus(), e);
    }

    /**
     * The index of the last entry applied to the engine (or of the loaded snapshot): set before the apply
     * listeners hear of it, so a reader that sees it also sees the entry's effect.
     */
    long appliedIndex() {
        return appliedIndex;
    }

    /** The term this node leads, or -1 when it does not lead (or has not caught up yet). */
    long leaderTerm() {
        return leaderTerm;
    }

    long term() {
        return term;
    }

    boolean inError() {
        return error;
    }

    /** Why the node is in ERROR (SOFAJRaft's status message), or null. */
    String errorStatus() {
        return errorStatus;
    }
}
