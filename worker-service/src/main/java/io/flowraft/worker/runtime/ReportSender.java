package io.flowraft.worker.runtime;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.ReportBatchRequest;
import io.flowraft.contracts.ReportBatchResponse;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.contracts.TaskReport;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.spi.RemoteText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the reports of the tasks that finish on this worker, many to a request ({@code POST /api/v1/reports}):
 * whatever finished while the previous request was on its way goes in the next one, so under load one request
 * and one Raft entry carry many reports, and when idle a report leaves at once. Each report is answered on its
 * own: 200 answers the task, 409/404/422 are thrown to it as they would be by the single-report endpoint,
 * and 429/503/504 or a lost request send it again at once to the next coordinator, while the sender that met
 * the refusal backs off (reports are idempotent per lease, so a resend is safe).
 *
 * <p>A request also asks for the worker's next leases ({@link NextLeases}): the finished tasks' run slots become
 * a poll that the coordinator answers with the reports, usually from the same Raft entry. A busy worker so
 * needs one request and one entry per batch of steps, not a report and a poll per task.
 */
final class ReportSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportSender.class);

    /**
     * The most report bytes one request carries (a single larger report still goes, alone): well under the
     * coordinator's default body limit of 4 MB, so large outputs of different tasks never sink each other.
     */
    static final int MAX_BATCH_BYTES = 1024 * 1024;

    private static final JsonMapper JSON = FlowRaftJson.mapper();

    /**
     * A report waiting for its answer; {@code bytes} is its size on the wire, give or take the separators;
     * {@code slot} the run slot of its task, or {@code null}.
     */
    private record Pending(TaskReport report, int bytes, Slot slot, CompletableFuture<ReportResponse> answer) {
    }

    /** Where the slots of reported tasks go: a poll sent along with their reports, and what it brings back. */
    interface NextLeases {

        /**
         * The poll to send along with reports, taking over {@code freed} (slots given up already); {@code null} to
         * ask for nothing, in which case the slots must have been given back.
         *
         * @param sender which sender asks: each names its polls a poller of its own
         */
        Ask ask(List<Slot> freed, int sender);

        /** The exchange answered: run {@code leases}, give back the rest of the reservation. */
        void granted(Ask ask, List<Lease> leases);

        /**
         * The exchange's answer to the poll is unknown (lost, or it timed out): it may have granted leases, so poll
         * again with the same poll id and poller, which answers those.
         */
        void lost(Ask ask);

        /** The poll was not answered and certainly granted nothing: give back the reservation. */
        void refused(Ask ask);
    }

    /** A poll sent with reports and the slots reserved for what it grants. */
    record Ask(PollRequest poll, Capacity.Reservation reservation) {
    }

    private static final NextLeases NONE = new NextLeases() {
        @Override
        public Ask ask(List<Slot> freed, int sender) {
            return null;
        }

        @Override
        public void granted(Ask ask, List<Lease> leases) {
        }

        @Override
        public void lost(Ask ask) {
        }

        @Override
        public void refused(Ask ask) {
        }
    };

    private final Coordinators coordinators;
    private final NextLeases next;
    private final int maxBatch;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param senders requests in flight at once (each carries what was waiting when it left)
     * @param maxBatch the most reports in one request
     */
    ReportSender(Coordinators coordinators, int senders, int maxBatch) {
        this(coordinators, senders, maxBatch, NONE);
    }

    /** @param next turns the slots of reported tasks into the next leases */
    ReportSender(Coordinators coordinators, int senders, int maxBatch, NextLeases next) {
        this.coordinators = coordinators;
        this.maxBatch = maxBatch;
        this.next = next;
        for (int i = 0; i < senders; i++) {
            int sender = i;
            this.senders.add(Thread.ofPlatform().name("flowraft-report-" + i).daemon().unstarted(() -> sendLoop(sender)));
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
        return send(report, null);
    }

    /**
     * Sends one report of the task holding {@code slot}, which the request may take over for the next leases, and
     * waits for its answer.
     */
    ReportResponse send(TaskReport report, Slot slot) throws InterruptedException {
        Pending pending = new Pending(report, JSON.writeValueAsBytes(report).length, slot, new CompletableFuture<>());
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

    private void sendLoop(int sender) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        int failures = 0;
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                drainInto(batch, first.bytes());
                Refused refused = sendOnce(batch, sender);
                if (refused == null) {
                    failures = 0;
                } else {
                    // Only this sender waits: the reports are queued again already, for another coordinator.
                    TimeUnit.MILLISECONDS.sleep(coordinators.backoff().delayMs(++failures, refused.retryAfterSeconds()));
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

    /** Adds what waits to {@code batch}, up to {@code maxBatch} reports and {@link #MAX_BATCH_BYTES}. */
    private void drainInto(List<Pending> batch, int bytes) {
        Pending next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) {
            if (bytes + next.bytes() > MAX_BATCH_BYTES) {
                queue.offerFirst(next); // the next request's first
                return;
            }
            batch.add(next);
            bytes += next.bytes();
        }
    }

    /** Some reports must go again, so this sender backs off; the longest Retry-After asked for, if any. */
    private record Refused(Long retryAfterSeconds) {
    }

    /**
     * One request. Answers each report it can. Those to send again are queued again at once, after the coordinator
     * is passed over, so that whichever sender takes them sends them to the next coordinator: a report that
     * waited out this sender's backoff would hold a finished task's slot and delay its workflow.
     *
     * @return {@code null} if every report was answered, else why this sender backs off
     */
    private Refused sendOnce(List<Pending> batch, int sender) {
        FlowRaftClient client = coordinators.next();
        List<Slot> freed = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (pending.slot() != null && pending.slot().giveUp()) {
                freed.add(pending.slot());
            }
        }
        Ask ask = freed.isEmpty() ? null : next.ask(freed, sender);
        ReportBatchResponse response;
        try {
            response = client.report(new ReportBatchRequest(batch.stream().map(Pending::report).toList(),
                    ask == null ? null : ask.poll()));
        } catch (RuntimeException e) {
            if (ask != null) {
                if (Coordinators.isTransient(e)) {
                    next.lost(ask);
                } else {
                    next.refused(ask);
                }
            }
            if (!Coordinators.isTransient(e)) {
                batch.forEach(p -> p.answer().completeExceptionally(e));
                return null;
            }
            coordinators.failed(client);
            log.info("{} reports via {} failed ({}); sending them again", batch.size(), client.baseUri(),
                    RemoteText.escape(e.getMessage()));
            enqueue(batch);
            return new Refused(Coordinators.retryAfter(e));
        }
        if (ask != null) {
            // Before the reports are answered: the new tasks count as in flight before the old ones leave.
            answered(ask, response);
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
                Long seconds = Coordinators.retryAfter(problem);
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
        coordinators.failed(client); // before they are queued: no sender may take them to this coordinator again
        log.info("{} reports via {} must be sent again (overloaded or no leader)", again.size(), client.baseUri());
        enqueue(again);
        return new Refused(retryAfter);
    }

    private void answered(Ask ask, ReportBatchResponse response) {
        if (response.leases() != null) {
            next.granted(ask, response.leases());
        } else if (response.leasesProblem() != null) {
            FlowRaftProblemException problem = new FlowRaftProblemException(
                    response.leasesProblem().status() == null ? 503 : response.leasesProblem().status(),
                    response.leasesProblem());
            if (problem.isRetryable()) {
                next.lost(ask);
            } else {
                log.error("The coordinator refused the poll sent with reports: {}",
                        RemoteText.escape(problem.getMessage()));
                next.refused(ask);
            }
        } else {
            next.refused(ask); // a coordinator that does not know the exchange: it granted nothing
        }
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

    /** Stops sending: reports not yet answered get {@code null} (the caller counts them abandoned). */
    @Override
    public void close() {
        closed = true;
        senders.forEach(Thread::interrupt); // ends a backoff too

        cancelQueued();
    }
}
