package io.flowraft.worker.runtime;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.worker.config.WorkerProperties;
import io.flowraft.worker.runtime.HandlerRegistry.Registered;
import io.flowraft.worker.secrets.SecretStore;
import io.flowraft.worker.secrets.Secrets;
import io.flowraft.worker.spi.RemoteText;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker: poll loops that lease tasks for the registered handlers, the tasks they run, and the way they
 * stop. A Spring {@link SmartLifecycle}: it starts polling once the context is up and stops first on shutdown.
 *
 * <p>Lifecycle: {@code NEW → RUNNING → STOPPING → STOPPED}, or {@code → KILLED} from any state by
 * {@link #kill()}.
 * <ul>
 *   <li>RUNNING: one poll loop per lease length (normally one) long-polls for every type with a free slot,
 *       each under a poller name of its own.</li>
 *   <li>STOPPING ({@link #stop()}, on SIGTERM or context close): no new poll starts; a poll in flight is let
 *       finish (its leases run like any other), so no lease is stranded. In-flight tasks get until
 *       {@code shutdown-grace} to finish and report; the rest are interrupted and failed as retryable.</li>
 *   <li>KILLED: everything stops at once and nothing is reported, as if the process died; the leases run out
 *       on the coordinator and the tasks are retried elsewhere.</li>
 * </ul>
 */
public final class Worker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    enum State { NEW, RUNNING, STOPPING, STOPPED, KILLED }

    /** Report requests in flight at once; each carries every report that was waiting when it left. */
    private static final int REPORT_SENDERS = 2;
    private static final int MAX_REPORTS_PER_REQUEST = 256;

    private final WorkerProperties properties;
    private final HandlerRegistry registry;
    private final Coordinators coordinators;
    private final Capacity capacity;
    private final WorkerMetrics metrics;
    private final ReportLatency reportLatency = new ReportLatency();
    private final ReportSender reports;
    private final JsonMapper mapper;
    private final WorkerClock clock;
    private final Secrets secrets;
    private final TaskTracing tracing;
    private final ExecutorService taskThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("flowraft-task-", 0).factory());
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("flowraft-heartbeat").daemon().factory());
    private final Set<TaskExecution> inFlight = ConcurrentHashMap.newKeySet();
    private final List<Thread> pollThreads = new ArrayList<>();
    /** Each type's poll group: the types polled together, under one lease length and poller name. */
    private final Map<String, PollGroup> groupOfType = new ConcurrentHashMap<>();
    /** Distinguishes this run's poll ids from those of an earlier process with the same worker id (pid 1 in a pod). */
    private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong pollSequence = new AtomicLong();
    private final Object signal = new Object();
    private volatile State state = State.NEW;
    private volatile long stopDeadlineNanos;

    public Worker(WorkerProperties properties, HandlerRegistry registry, MeterRegistry meterRegistry, JsonMapper mapper,
            WorkerClock clock) {
        this(properties, registry, meterRegistry, mapper, clock, TaskTracing.NOOP);
    }

    /** @param tracing the span each task runs in (see {@link TaskTracing}) */
    public Worker(WorkerProperties properties, HandlerRegistry registry, MeterRegistry meterRegistry, JsonMapper mapper,
            WorkerClock clock, TaskTracing tracing) {
        this.properties = properties;
        this.tracing = tracing;
        this.registry = registry;
        this.mapper = mapper;
        this.clock = clock;
        this.coordinators = new Coordinators(properties.coordinators(), properties.requestTimeout(),
                ClientCredentials.bearer(properties.apiKey()).trusting(properties.tls().caFile()),
                new Backoff(properties.backoffInitial(), properties.backoffMax()));
        Map<String, Integer> typeLimits = new LinkedHashMap<>();
        registry.all().forEach(handler -> typeLimits.put(handler.type(), handler.settings().concurrency()));
        this.capacity = new Capacity(properties.maxInFlight(), typeLimits);
        this.reports = new ReportSender(coordinators, REPORT_SENDERS, MAX_REPORTS_PER_REQUEST, new Successors());
        this.metrics = new WorkerMetrics(meterRegistry, inFlight::size);
        this.secrets = new Secrets(new SecretStore(System.getenv(), properties.secrets().dir()),
                properties.secrets().allowed());
    }

    public String workerId() {
        return properties.workerId();
    }

    /** The task types this worker polls for. */
    public List<String> taskTypes() {
        return registry.types();
    }

    /** Tasks leased and not yet reported. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public synchronized void start() {
        if (state != State.NEW) {
            return;
        }
        state = State.RUNNING;
        reports.start();
        // One poll asks for one lease length, so types with different lease lengths poll separately.
        Map<Duration, List<String>> groups = new TreeMap<>();
        for (Registered handler : registry.all()) {
            groups.computeIfAbsent(handler.settings().leaseDuration(), d -> new ArrayList<>()).add(handler.type());
        }
        if (groups.isEmpty()) {
            log.warn("No task handler is enabled: worker {} does not poll", workerId());
        }
        int n = 0;
        for (Map.Entry<Duration, List<String>> group : groups.entrySet()) {
            List<String> types = group.getValue().stream().sorted().toList();
            long leaseMs = group.getKey().toMillis();
            String poller = pollerName(leaseMs);
            PollGroup pollGroup = new PollGroup(types, leaseMs, poller);
            types.forEach(type -> groupOfType.put(type, pollGroup));
            pollThreads.add(Thread.ofPlatform().name("flowraft-poll-" + n++).start(() -> pollLoop(types, leaseMs, poller)));
        }
        log.info("Worker {} polling {} for {} (at most {} tasks at once)", workerId(), properties.coordinators(),
                registry.types(), properties.maxInFlight());
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops gracefully: no new polls; in-flight tasks get {@code shutdown-grace} to finish and report; the rest
     * are failed as retryable. Returns when done. Does nothing unless running.
     */
    @Override
    public void stop() {
        synchronized (this) {
            if (state != State.RUNNING) {
                return;
            }
            stopDeadlineNanos = System.nanoTime() + properties.shutdownGrace().toNanos();
            state = State.STOPPING;
        }
        wakeAll();
        log.info("Worker {} stopping: no new polls, {} tasks in flight get up to {} to finish", workerId(),
                inFlight.size(), properties.shutdownGrace());
        try {
            for (Thread poller : pollThreads) {
                poller.join(Math.max(remainingMs(), 1));
                if (poller.isAlive()) {
                    // Its long poll outlived the grace period: give it up (its leases, if any, will expire).
                    poller.interrupt();
                    poller.join(1_000);
                }
            }
            synchronized (signal) {
                while (!inFlight.isEmpty() && remainingMs() > 0) {
                    signal.wait(remainingMs());
                }
            }
            List<TaskExecution> late = List.copyOf(inFlight);
            if (!late.isEmpty()) {
                log.warn("Worker {}: {} tasks did not finish within {}; failing them as retryable", workerId(), late.size(),
                        properties.shutdownGrace());
                List<Future<?>> failures = late.stream().map(task -> taskThreads.submit(task::abandon)).<Future<?>>map(f -> f).toList();
                long until = System.nanoTime() + properties.requestTimeout().toNanos();
                for (Future<?> failure : failures) {
                    try {
                        failure.get(Math.max(until - System.nanoTime(), 1), TimeUnit.NANOSECONDS);
                    } catch (Exception e) {
                        failure.cancel(true);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state = State.STOPPED;
            reports.close();
            heartbeats.shutdownNow();
            taskThreads.shutdownNow();
            log.info("Worker {} stopped", workerId());
        }
    }

    /**
     * Stops at once without reporting anything, as if the process had died: handlers are interrupted and their
     * leases run out on the coordinator, which then retries the tasks. For tests, and for a worker that must
     * not spend its grace period (its results are dropped).
     */
    public void kill() {
        state = State.KILLED;
        wakeAll();
        inFlight.forEach(TaskExecution::kill);
        reports.close();
        pollThreads.forEach(Thread::interrupt);
        heartbeats.shutdownNow();
        taskThreads.shutdownNow();
        log.warn("Worker {} killed with {} tasks in flight; their leases will expire", workerId(), inFlight.size());
    }

    // --- polling -------------------------------------------------------------------------------------------

    /**
     * Names a poll loop to the coordinators, which remember the last granted poll per worker and poller: with
     * one name for all loops, a loop retrying a poll whose answer was lost would find another loop's poll
     * remembered, be granted afresh, and strand its first try's leases until they expired. Derived from the
     * loop's lease length, which no other loop of the worker shares, so it stays the same across restarts.
     */
    private static String pollerName(long leaseMs) {
        return "lease-" + leaseMs + "ms";
    }

    private void pollLoop(List<String> types, long leaseMs, String poller) {
        while (state == State.RUNNING) {
            Capacity.Reservation reservation;
            try {
                reservation = capacity.reserve(types, () -> state == State.RUNNING);
            } catch (InterruptedException e) {
                return;
            }
            if (reservation == null) {
                return;
            }
            Map<String, Integer> used = new TreeMap<>();
            try {
                List<Lease> leases = poll(reservation, leaseMs, poller, nextPollId(), properties.pollWait().toMillis());
                startTasks(leases, used);
            } catch (InterruptedException e) {
                return;
            } finally {
                capacity.settle(reservation, used);
            }
        }
    }

    /**
     * One poll, retried with the same poll id on another coordinator after a transport error or a 429/503/504:
     * the coordinator then answers with the leases the lost answer carried instead of granting more, as long as
     * the retry names the same poller.
     */
    private List<Lease> poll(Capacity.Reservation reservation, long leaseMs, String poller, String pollId, long wait)
            throws InterruptedException {
        int failures = 0;
        int retriesAfterStop = 0;
        while (state == State.RUNNING || (state == State.STOPPING && failures > 0
                && retriesAfterStop++ < coordinators.size() && remainingMs() > 0)) {
            // After a stop only retries happen, one per coordinator at most, and they need not wait: they are
            // there to collect the leases of an answer that was lost.
            long waitMs = state == State.RUNNING ? wait : 0;
            PollRequest request = new PollRequest(workerId(), reservation.types(), reservation.count(), waitMs, leaseMs,
                    pollId, poller);
            var client = coordinators.next();
            long started = System.nanoTime();
            try {
                List<Lease> leases = client.poll(request);
                metrics.polled(leases.isEmpty() ? "empty" : "leases", System.nanoTime() - started);
                return leases;
            } catch (RuntimeException e) {
                metrics.polled("error", System.nanoTime() - started);
                coordinators.failed(client);
                if (Thread.currentThread().isInterrupted() || state == State.KILLED) {
                    throw new InterruptedException("poll interrupted");
                }
                failures++;
                boolean transientError = Coordinators.isTransient(e);
                long delay = coordinators.backoff().delayMs(transientError ? failures : 30, Coordinators.retryAfter(e));
                if (!transientError) {
                    // A 4xx other than 429 is a configuration error (a bad type name, a lease too short): say so
                    // loudly, wait long, and start a new poll. Nothing was granted, so nothing is stranded.
                    log.error("Poll via {} refused: {}", client.baseUri(), RemoteText.escape(e.getMessage()));
                    pauseWhileRunning(delay);
                    return List.of();
                }
                log.info("Poll {} via {} failed ({}); retrying it on the next coordinator in {} ms", pollId,
                        client.baseUri(), RemoteText.escape(e.getMessage()), delay);
                pauseWhileRunning(delay);
            }
        }
        return List.of();
    }

    private String nextPollId() {
        return runId + "-" + pollSequence.incrementAndGet();
    }

    /** Runs the leases a poll or a report exchange brought, counting in {@code used} the slots they take. */
    private void startTasks(List<Lease> leases, Map<String, Integer> used) {
        // The leader counted each lease's time left as of its commit, just before this answer left.
        long arrived = clock.nanoTime();
        for (Lease lease : leases) {
            used.merge(lease.type(), 1, Integer::sum);
            startTask(lease, arrived);
        }
    }

    /** Types polled together: one lease length, one poller name. */
    private record PollGroup(List<String> types, long leaseMs, String poller) {
    }

    /**
     * The report exchange's side of polling: the slots of reported tasks become a poll for their successors, sent
     * with the reports, under a poller name per report sender (so a lost answer's retry finds its own poll record,
     * as with the poll loops). While the worker stops, no new leases are asked for.
     */
    private final class Successors implements ReportSender.NextLeases {

        @Override
        public ReportSender.Ask ask(List<Slot> freed, int sender) {
            List<String> freedTypes = freed.stream().map(Slot::type).toList();
            PollGroup group = state == State.RUNNING ? groupOfType.get(freedTypes.getFirst()) : null;
            if (group == null) {
                freedTypes.forEach(capacity::release);
                return null;
            }
            Capacity.Reservation reservation = capacity.handOver(freedTypes, group.types());
            if (reservation == null) {
                return null;
            }
            PollRequest poll = new PollRequest(workerId(), reservation.types(), reservation.count(), 0L, group.leaseMs(),
                    nextPollId(), group.poller() + "-report-" + sender);
            return new ReportSender.Ask(poll, reservation);
        }

        @Override
        public void granted(ReportSender.Ask ask, List<Lease> leases) {
            Map<String, Integer> used = new TreeMap<>();
            try {
                startTasks(leases, used);
            } finally {
                capacity.settle(ask.reservation(), used);
            }
        }

        @Override
        public void lost(ReportSender.Ask ask) {
            // Off the sender's thread: the poll retries across coordinators until one answers, as a poll loop's does.
            runAsync(() -> {
                Map<String, Integer> used = new TreeMap<>();
                try {
                    PollRequest poll = ask.poll();
                    startTasks(poll(ask.reservation(), poll.leaseMs(), poll.poller(), poll.pollId(), 0), used);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    capacity.settle(ask.reservation(), used);
                }
            });
        }

        @Override
        public void refused(ReportSender.Ask ask) {
            capacity.settle(ask.reservation(), Map.of());
        }
    }

    private void startTask(Lease lease, long arrivedNanos) {
        Registered handler = registry.get(lease.type());
        if (handler == null) {
            // Cannot happen with a coordinator that honours taskTypes; give the task back rather than sit on it.
            log.error("Leased task {} of type {} has no handler here; failing it as retryable", lease.leaseId(), lease.type());
            runAsync(() -> {
                try {
                    coordinators.callWithRetry("Failure of " + lease.leaseId(),
                            c -> c.fail(lease.leaseId(), "No handler for type " + lease.type() + " on " + workerId(), true),
                            this::pauseWhileAlive);
                } catch (RuntimeException | InterruptedException e) {
                    log.warn("Could not give back {}: {}", lease.leaseId(), RemoteText.escape(e.toString()));
                }
            });
            return;
        }
        TaskExecution task = new TaskExecution(this, lease, arrivedNanos, handler);
        inFlight.add(task);
        try {
            taskThreads.execute(task::run);
        } catch (RuntimeException e) {
            // Killed meanwhile: the lease runs out on the coordinator.
            inFlight.remove(task);
            capacity.release(lease.type());
        }
    }

    // --- services for TaskExecution ------------------------------------------------------------------------

    void finished(TaskExecution task) {
        if (inFlight.remove(task) && task.slot().giveUp()) {
            capacity.release(task.type());
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    void runAsync(Runnable work) {
        try {
            taskThreads.execute(work);
        } catch (RuntimeException e) {
            log.debug("Not run, the worker has stopped: {}", e.toString());
        }
    }

    /** Waits {@code millis} (less if the worker is killed); false once killed. Retries of reports use it. */
    boolean pauseWhileAlive(long millis) throws InterruptedException {
        return pause(millis, () -> state != State.KILLED);
    }

    private void pauseWhileRunning(long millis) throws InterruptedException {
        pause(millis, () -> state == State.RUNNING);
    }

    private boolean pause(long millis, java.util.function.BooleanSupplier wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (signal) {
            long left;
            while (wanted.getAsBoolean() && (left = until - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
        }
        return wanted.getAsBoolean();
    }

    private void wakeAll() {
        capacity.wakeAll();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private long remainingMs() {
        return TimeUnit.NANOSECONDS.toMillis(stopDeadlineNanos - System.nanoTime());
    }

    Coordinators coordinators() {
        return coordinators;
    }

    TaskTracing tracing() {
        return tracing;
    }

    ReportSender reports() {
        return reports;
    }

    WorkerMetrics metrics() {
        return metrics;
    }

    /** How long this worker's reports took to be committed (for benchmarks and capacity planning). */
    public ReportLatency reportLatency() {
        return reportLatency;
    }

    Secrets secrets() {
        return secrets;
    }

    JsonMapper mapper() {
        return mapper;
    }

    WorkerClock clock() {
        return clock;
    }

    ScheduledExecutorService heartbeats() {
        return heartbeats;
    }
}
