package io.flowraft.bench.cluster;

import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftProblemException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives workflows through the cluster and times them from the client's side: submit → acknowledged, and
 * submit → workflow finished (the finish is awaited with {@code GET /workflows/{id}?waitMs=}, a long poll, so
 * the harness does not poll; or, batched, with {@link BatchedClient}: submits in batches and one wait for many
 * ends). Two ways to load:
 * <ul>
 *   <li><b>closed loop</b>: C clients, each submitting a workflow, waiting for it to finish, and starting the
 *       next; the cluster's speed sets the rate. Latency is measured from the actual send.</li>
 *   <li><b>open loop</b>: workflows are started at a fixed rate whatever happens, each on its own virtual
 *       thread. Latency is measured from the <em>intended</em> start time, so a stall is charged to every
 *       workflow it delayed (no coordinated omission).</li>
 * </ul>
 * Workflow n is submitted with the idempotency key {@code <run>-<n>}, so a resend after a lost answer or a
 * dead coordinator never starts a second one.
 */
final class LoadDriver {

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final Duration AWAIT_SLICE = Duration.ofSeconds(20);

    /** What one load phase saw. Histograms are in microseconds; {@code ackNanos[n]} is 0 unless acknowledged. */
    record Result(int workflows, int completed, int otherFinish, int lost, int unfinished, double seconds,
            long startNanos, long endNanos, Histogram submitAck, Histogram submitToFinish, AtomicLongArray ackNanos,
            String[] ids) {

        double workflowsPerSecond() {
            return completed / seconds;
        }
    }

    private final CoordinatorPool pool;
    private final Shape shape;
    private final String run;
    private final Recorder submitAck = new Recorder(MAX_MICROS, 3);
    private final Recorder submitToFinish = new Recorder(MAX_MICROS, 3);
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger otherFinish = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicLong lastFinish = new AtomicLong();

    private final boolean awaitFinish;
    private final boolean batched;

    /**
     * @param awaitFinish whether each workflow is awaited to its end; without, a workflow counts once
     *     acknowledged (to fill a cluster that has no workers)
     */
    LoadDriver(CoordinatorPool pool, Shape shape, String run, boolean awaitFinish) {
        this(pool, shape, run, awaitFinish, false);
    }

    /**
     * @param batched submit in batches and learn ends for many workflows per request ({@link BatchedClient}),
     *     rather than a submit and a wait of its own per workflow
     */
    LoadDriver(CoordinatorPool pool, Shape shape, String run, boolean awaitFinish, boolean batched) {
        this.pool = pool;
        this.shape = shape;
        this.run = run;
        this.awaitFinish = awaitFinish;
        this.batched = batched;
    }

    /**
     * Runs {@code workflows} closed-loop with {@code clients} clients ({@code rate <= 0}) or open-loop at
     * {@code rate} workflows per second. {@code atHalf} runs once, on its own thread, when half of them have
     * been acknowledged ({@code --kill-leader} kills the leader there).
     */
    Result run(int workflows, int clients, double rate, Runnable atHalf) throws InterruptedException {
        AtomicLongArray ackNanos = new AtomicLongArray(workflows);
        String[] ids = new String[workflows];
        AtomicBoolean halfDone = new AtomicBoolean();
        Runnable half = () -> {
            if (acknowledged.incrementAndGet() >= workflows / 2 && atHalf != null && halfDone.compareAndSet(false, true)) {
                Thread.ofPlatform().name("bench-at-half").start(atHalf);
            }
        };
        if (batched) {
            return runBatched(workflows, clients, rate, ackNanos, ids, half);
        }
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            if (rate <= 0) {
                AtomicInteger next = new AtomicInteger();
                for (int c = 0; c < clients; c++) {
                    threads.execute(() -> {
                        int n;
                        while ((n = next.getAndIncrement()) < workflows) {
                            one(n, System.nanoTime(), ackNanos, ids, half);
                        }
                    });
                }
            } else {
                double intervalNanos = 1e9 / rate;
                for (int n = 0; n < workflows; n++) {
                    long intended = start + (long) (n * intervalNanos);
                    long wait;
                    while ((wait = intended - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int workflow = n;
                    threads.execute(() -> one(workflow, intended, ackNanos, ids, half));
                }
            }
        }
        long end = Math.max(lastFinish.get(), start + 1);
        return new Result(workflows, completed.get(), otherFinish.get(), lost.get(), unfinished.get(),
                (end - start) / 1e9, start, end, submitAck.getIntervalHistogram(), submitToFinish.getIntervalHistogram(),
                ackNanos, ids);
    }

    /**
     * As {@link #run}, through a {@link BatchedClient}: closed loop holds {@code clients} workflows in flight (a
     * slot is freed when its workflow ends), open loop queues each at its intended time.
     */
    private Result runBatched(int workflows, int clients, double rate, AtomicLongArray ackNanos, String[] ids,
            Runnable half) throws InterruptedException {
        Semaphore slots = new Semaphore(rate <= 0 ? clients : Integer.MAX_VALUE);
        CountDownLatch counted = new CountDownLatch(workflows);
        long[] sent = new long[workflows];
        BatchedClient.Outcomes outcomes = new BatchedClient.Outcomes() {
            @Override
            public void acknowledged(int n, String id, long atNanos) {
                ackNanos.set(n, atNanos);
                ids[n] = id;
                submitAck.recordValue(micros(atNanos - sent[n]));
                half.run();
                if (!awaitFinish) {
                    lastFinish.accumulateAndGet(atNanos, Math::max);
                    count(completed);
                }
            }

            @Override
            public void ended(int n, WorkflowStatus status, long atNanos) {
                lastFinish.accumulateAndGet(atNanos, Math::max);
                submitToFinish.recordValue(micros(atNanos - sent[n]));
                count(status == WorkflowStatus.COMPLETED ? completed : otherFinish);
            }

            @Override
            public void lost(int n) {
                count(lost);
            }

            @Override
            public void unfinished(int n) {
                count(unfinished);
            }

            private void count(AtomicInteger outcome) {
                outcome.incrementAndGet();
                slots.release();
                counted.countDown();
            }
        };
        long start = System.nanoTime();
        try (BatchedClient client = new BatchedClient(pool, shape, run, awaitFinish,
                TimeUnit.MICROSECONDS.toNanos(MAX_MICROS), outcomes)) {
            double intervalNanos = rate <= 0 ? 0 : 1e9 / rate;
            for (int n = 0; n < workflows; n++) {
                slots.acquire();
                long intended = rate <= 0 ? System.nanoTime() : start + (long) (n * intervalNanos);
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                sent[n] = intended;
                client.submit(n, intended);
            }
            counted.await();
        }
        long end = Math.max(lastFinish.get(), start + 1);
        return new Result(workflows, completed.get(), otherFinish.get(), lost.get(), unfinished.get(),
                (end - start) / 1e9, start, end, submitAck.getIntervalHistogram(), submitToFinish.getIntervalHistogram(),
                ackNanos, ids);
    }

    /** Workflows of this run that have counted so far, whatever their outcome (read while it runs). */
    int countedSoFar() {
        return completed.get() + otherFinish.get() + lost.get() + unfinished.get();
    }

    private void one(int n, long sentNanos, AtomicLongArray ackNanos, String[] ids, Runnable acked) {
        SubmitWorkflowRequest request = new SubmitWorkflowRequest(shape.definitionName(), null, shape.input(n), null);
        WorkflowView view;
        try {
            view = pool.call(client -> client.submitWorkflow(request, run + "-" + n));
        } catch (RuntimeException e) {
            unfinished.incrementAndGet();
            return;
        }
        long ack = System.nanoTime();
        ackNanos.set(n, ack);
        ids[n] = view.id();
        submitAck.recordValue(micros(ack - sentNanos));
        acked.run();
        if (!awaitFinish) {
            lastFinish.accumulateAndGet(ack, Math::max);
            completed.incrementAndGet();
            return;
        }
        WorkflowStatus status = view.status();
        // A workflow that never ends (its task type has no worker left) counts as unfinished, not a hang.
        long giveUpAt = sentNanos + TimeUnit.MICROSECONDS.toNanos(MAX_MICROS);
        try {
            while (status == null || status == WorkflowStatus.RUNNING) {
                if (System.nanoTime() - giveUpAt > 0) {
                    unfinished.incrementAndGet();
                    return;
                }
                status = pool.call(client -> client.awaitWorkflow(view.id(), AWAIT_SLICE)).status();
            }
        } catch (FlowRaftProblemException e) {
            (e.status() == 404 ? lost : unfinished).incrementAndGet();
            return;
        } catch (RuntimeException e) {
            unfinished.incrementAndGet();
            return;
        }
        long finished = System.nanoTime();
        lastFinish.accumulateAndGet(finished, Math::max);
        submitToFinish.recordValue(micros(finished - sentNanos));
        (status == WorkflowStatus.COMPLETED ? completed : otherFinish).incrementAndGet();
    }

    private static long micros(long nanos) {
        return Math.min(Math.max(TimeUnit.NANOSECONDS.toMicros(nanos), 1), MAX_MICROS);
    }
}
