package io.flowraft.bench.cluster;

import io.flowraft.contracts.SubmitWorkflowBatchRequest;
import io.flowraft.contracts.SubmitWorkflowBatchResponse;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.WorkflowEndsRequest;
import io.flowraft.contracts.WorkflowEndsResponse;
import io.flowraft.contracts.WorkflowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load driver's client for many workflows at once, as a client that starts many would use the API: submits
 * queue up and go out together ({@code POST /workflows/batch}, at most {@value #SENDERS} batches on the way, so
 * whatever queues while one is out goes in the next), and each acknowledged batch is then watched with
 * {@code POST /workflows/ends} until all its workflows ended. A submit answered 429/503/504 is queued again under
 * its idempotency key; its latency still counts from when it was first meant to go.
 *
 * <p>A watcher asks again as soon as an answer came, but not sooner than {@link #MIN_ASK_INTERVAL} after its
 * previous ask: ends that come close together are then read together, at the cost of reading an end up to that
 * much late (the resolution of the submit-to-finish figure).
 */
final class BatchedClient implements AutoCloseable {

    static final int SENDERS = 2;
    static final Duration MIN_ASK_INTERVAL = Duration.ofMillis(20);
    private static final Duration AWAIT_SLICE = Duration.ofSeconds(20);

    /** What becomes of each submitted workflow. */
    interface Outcomes {

        void acknowledged(int n, String id, long atNanos);

        void ended(int n, WorkflowStatus status, long atNanos);

        /** Acknowledged, then gone: no coordinator knows it. */
        void lost(int n);

        /** Never acknowledged, or not ended before {@code giveUpNanos} after it was meant to go. */
        void unfinished(int n);
    }

    private record Pending(int n, long sentNanos) {
    }

    private final CoordinatorPool pool;
    private final Shape shape;
    private final String run;
    private final boolean awaitFinish;
    private final long giveUpNanos;
    private final Outcomes outcomes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closed;

    BatchedClient(CoordinatorPool pool, Shape shape, String run, boolean awaitFinish, long giveUpNanos,
            Outcomes outcomes) {
        this.pool = pool;
        this.shape = shape;
        this.run = run;
        this.awaitFinish = awaitFinish;
        this.giveUpNanos = giveUpNanos;
        this.outcomes = outcomes;
        for (int i = 0; i < SENDERS; i++) {
            senders.add(Thread.ofVirtual().name("bench-batch-sender-" + i).start(this::send));
        }
    }

    /** Queues workflow {@code n}, meant to go at {@code sentNanos}. */
    void submit(int n, long sentNanos) {
        queue.add(new Pending(n, sentNanos));
    }

    private void send() {
        int backoffs = 0;
        while (!closed) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, SubmitWorkflowBatchRequest.MAX_WORKFLOWS - 1);
            boolean refused = sendOne(batch);
            if (refused) {
                LockSupport.parkNanos(Duration.ofMillis(Math.min(5L << Math.min(++backoffs, 6), 250)).toNanos());
            } else {
                backoffs = 0;
            }
        }
    }

    /** Sends one batch; whether any submit of it was refused for now (and queued again). */
    private boolean sendOne(List<Pending> batch) {
        List<SubmitWorkflowRequest> requests = batch.stream().map(p -> new SubmitWorkflowRequest(shape.definitionName(),
                null, shape.input(p.n()), run + "-" + p.n())).toList();
        SubmitWorkflowBatchResponse response;
        try {
            response = pool.call(client -> client.submitWorkflows(requests));
        } catch (RuntimeException e) {
            batch.forEach(p -> outcomes.unfinished(p.n()));
            return false;
        }
        long acked = System.nanoTime();
        boolean refused = false;
        Map<String, Pending> watched = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            SubmitWorkflowBatchResponse.Result result = response.results().get(i);
            if (result.status() == 200 || result.status() == 201) {
                outcomes.acknowledged(pending.n(), result.id(), acked);
                watched.put(result.id(), pending);
            } else if (result.status() == 429 || result.status() == 503 || result.status() == 504) {
                pool.countResend(result.status());
                queue.add(pending);
                refused = true;
            } else {
                outcomes.unfinished(pending.n());
            }
        }
        if (awaitFinish && !watched.isEmpty()) {
            Thread.ofVirtual().name("bench-ends").start(() -> watch(watched));
        }
        return refused;
    }

    /** Asks for the ends of one batch's workflows until each ended, was lost, or is given up on. */
    private void watch(Map<String, Pending> waiting) {
        while (!waiting.isEmpty() && !closed) {
            long asked = System.nanoTime();
            List<String> ids = waiting.keySet().stream().limit(WorkflowEndsRequest.MAX_IDS).toList();
            WorkflowEndsResponse answer;
            try {
                answer = pool.call(client -> client.awaitEnds(ids, AWAIT_SLICE));
            } catch (RuntimeException e) {
                waiting.values().forEach(p -> outcomes.unfinished(p.n()));
                return;
            }
            long now = System.nanoTime();
            for (WorkflowEndsResponse.Ended end : answer.ended()) {
                Pending pending = waiting.remove(end.id());
                if (pending != null) {
                    outcomes.ended(pending.n(), end.status(), now);
                }
            }
            for (String id : answer.notFound()) {
                Pending pending = waiting.remove(id);
                if (pending != null) {
                    outcomes.lost(pending.n());
                }
            }
            // A workflow that never ends (its task type has no worker left) counts as unfinished, not a hang.
            waiting.values().removeIf(p -> {
                if (now - p.sentNanos() > giveUpNanos) {
                    outcomes.unfinished(p.n());
                    return true;
                }
                return false;
            });
            long rest = MIN_ASK_INTERVAL.toNanos() - (System.nanoTime() - asked);
            if (rest > 0 && !waiting.isEmpty()) {
                LockSupport.parkNanos(rest);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        senders.forEach(Thread::interrupt);
    }
}
