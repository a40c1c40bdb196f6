package io.flowraft.worker.runtime;

import io.flowraft.contracts.ReportBatchResponse;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.contracts.TaskReport;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the reports of the tasks that finish on this worker, many to a request ({@code POST /api/v1/reports}):
 * whatever finished while the previous request was on its way goes in the next one, so under load one request
 * and one Raft entry carry many reports, and when idle a report leaves at once. Each report is answered on its
 * own: 200 answers the task, 409/404/422 are thrown to it as they would be by the single-report endpoint,
 * and 429/503/504 or a lost request send it again to the next coordinator after a backoff (reports are
 * idempotent per lease, so a resend is safe).
 */
final class ReportSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportSender.class);

    private record Pending(TaskReport report, CompletableFuture<ReportResponse> answer) {
    }

    private final Coordinators coordinators;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private final Object pause = new Object();
    private volatile boolean closed;

    /**
     * @param senders requests in flight at once (each carries what was waiting when it left)
     * @param maxBatch the most reports in one request
     */
    ReportSender(Coordinators coordinators, int senders, int maxBatch) {
        this.coordinators = coordinators;
        this.maxBatch = maxBatch;
        for (int i = 0; i < senders; i++) {
            this.senders.add(Thread.ofPlatform().name("flowraft-report-" + i).daemon().unstarted(this::sendLoop));
        }
    }

    void start() {
        senders.forEach(Thread::start);
    }

    /**
     * Sends one report and waits for its answer.
     *
     * @return the coordinator's answer, or {@code null} if the sender was closed first (the worker was killed)
     * @throws FlowRaftProblemException when the coordinator refused the report (409, 404, 422, 400)
     */
    ReportResponse send(TaskReport report) throws InterruptedException {
        Pending pending = new Pending(report, new CompletableFuture<>());
        enqueue(List.of(pending));
        try {
            return pending.answer().get();
        } catch (CancellationException e) {
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void sendLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        int failures = 0;
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                Resend resend = sendOnce(batch);
                if (resend == null) {
                    failures = 0;
                } else {
                    // held back until after the backoff: queued at once, another sender would resend them at once
                    pause(coordinators.backoff().delayMs(++failures, resend.retryAfterSeconds()));
                    enqueue(resend.reports());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Report sender failed; {} reports will be sent again", batch.size(), e);
                enqueue(batch.stream().filter(p -> !p.answer().isDone()).toList());
            } finally {
                batch.clear();
            }
        }
    }

    /** Reports to send again after a backoff, and the longest Retry-After a coordinator asked for, if any. */
    private record Resend(List<Pending> reports, Long retryAfterSeconds) {
    }

    /**
     * One request. Answers each report it can; the coordinator it went to is passed over next time if any report
     * must be sent again.
     *
     * @return {@code null} if every report was answered, else those to send again
     */
    private Resend sendOnce(List<Pending> batch) {
        FlowRaftClient client = coordinators.next();
        ReportBatchResponse response;
        try {
            response = client.report(batch.stream().map(Pending::report).toList());
        } catch (RuntimeException e) {
            if (!Coordinators.isTransient(e)) {
                batch.forEach(p -> p.answer().completeExceptionally(e));
                return null;
            }
            coordinators.failed(client);
            log.info("{} reports via {} failed ({}); sending them again", batch.size(), client.baseUri(), e.getMessage());
            return new Resend(List.copyOf(batch), Coordinators.retryAfter(e));
        }
        List<ReportBatchResponse.Result> results = response.results();
        List<Pending> again = new ArrayList<>();
        Long retryAfter = null;
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            ReportBatchResponse.Result result = i < results.size() ? results.get(i) : null;
            if (result != null && result.status() == 200) {
                pending.answer().complete(result.report());
                continue;
            }
            FlowRaftProblemException problem = result == null
                    ? new FlowRaftProblemException(503, null) // cannot happen with a coordinator of this version
                    : new FlowRaftProblemException(result.status(), result.problem());
            if (problem.isRetryable()) {
                again.add(pending);
                Long seconds = result == null || result.problem() == null ? null : result.problem().retryAfterSeconds();
                if (seconds != null && (retryAfter == null || seconds > retryAfter)) {
                    retryAfter = seconds;
                }
            } else {
                pending.answer().completeExceptionally(problem);
            }
        }
        if (again.isEmpty()) {
            return null;
        }
        coordinators.failed(client);
        log.info("{} reports via {} must be sent again (overloaded or no leader)", again.size(), client.baseUri());
        return new Resend(again, retryAfter);
    }

    /** Queues reports to send; once closed, answers them {@code null} instead (nobody will send them). */
    private void enqueue(List<Pending> pending) {
        queue.addAll(pending);
        if (closed) {
            cancelQueued();
        }
    }

    private void cancelQueued() {
        Pending pending;
        while ((pending = queue.poll()) != null) {
            pending.answer().cancel(false);
        }
    }

    private void pause(long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (pause) {
            long left;
            while (!closed && (left = until - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(pause, left);
            }
        }
    }

    /** Stops sending: reports not yet answered get {@code null} (the caller counts them abandoned). */
    @Override
    public void close() {
        closed = true;
        synchronized (pause) {
            pause.notifyAll();
        }
        senders.forEach(Thread::interrupt);
        cancelQueued();
    }
}
