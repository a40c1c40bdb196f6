package io.flowraft.worker.runtime;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.contracts.TaskReport;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.worker.runtime.HandlerRegistry.Registered;
import io.flowraft.worker.secrets.Redactor;
import io.flowraft.worker.secrets.SecretRefusedException;
import io.flowraft.worker.secrets.Secrets;
import io.flowraft.worker.spi.LeaseLostException;
import io.flowraft.worker.spi.RemoteText;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TerminalTaskException;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * One leased attempt on this worker: runs the handler on its own thread while a {@link LeaseKeeper} heartbeats
 * the lease, and reports the outcome once.
 *
 * <p>Exactly one party reports: the task thread when the handler returns, or the stopping worker when the
 * grace period is over. Whoever {@link #claimReport() claims} the report first sends it; the other stays
 * silent. A lease found lost (409 on heartbeat or report) or run out (its local deadline passed) is never
 * reported again; the result is dropped.
 *
 * <p>Secrets: the input's {@code ${secrets.NAME}} references are resolved just before the handler runs
 * ({@link Secrets}), and every value resolved is redacted from the output and from any error before they leave
 * this worker or reach its log.
 */
final class TaskExecution implements TaskContext, LeaseKeeper.Attempt {

    private static final Logger log = LoggerFactory.getLogger(TaskExecution.class);

    /** The coordinator keeps 4 KiB of a failure message; sending more only costs bandwidth. */
    private static final int MAX_ERROR_CHARS = 4096;

    private final Worker worker;
    private final Lease lease;
    private final Registered handler;
    private final LeaseKeeper keeper;
    private final AtomicBoolean reportClaimed = new AtomicBoolean();
    private final Slot slot;
    private volatile boolean leaseLost;
    private volatile boolean finished;
    private volatile Thread thread;
    /** The trace context of the span this attempt runs in, sent back with the report (null when tracing is off). */
    private volatile String traceparent;
    /** The secrets this attempt resolved, to be kept out of what it reports and logs. */
    private volatile Redactor redactor = Redactor.none();

    /** @param arrivedNanos when the poll answer carrying {@code lease} arrived, on the worker's monotonic clock */
    TaskExecution(Worker worker, Lease lease, long arrivedNanos, Registered handler) {
        this.worker = worker;
        this.lease = lease;
        this.handler = handler;
        this.slot = new Slot(lease.type());
        this.keeper = new LeaseKeeper(worker, lease, handler.settings().leaseDuration().toMillis(), arrivedNanos, this);
    }

    void run() {
        thread = Thread.currentThread();
        MDC.put("workflowId", lease.workflowId());
        MDC.put("taskId", lease.taskId());
        MDC.put("leaseId", lease.leaseId());
        long started = System.nanoTime();
        Span taskSpan = worker.tracing().start(lease);
        traceparent = TaskTracing.traceparent(taskSpan);
        String outcome = "abandoned";
        try (Tracer.SpanInScope scope = worker.tracing().inScope(taskSpan)) {
            keeper.start();
            log.debug("Running {} attempt {}", lease.type(), lease.attempt());
            outcome = execute();
            worker.metrics().taskFinished(lease.type(), outcome, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            finished = true;
            keeper.stop();
            taskSpan.tag("flowraft.outcome", outcome).end();
            MDC.clear();
            worker.finished(this);
        }
    }

    private String execute() {
        JsonNode json = lease.input() == null ? NullNode.getInstance() : lease.input();
        try {
            Secrets.Resolution resolution = worker.secrets().resolve(lease.type(), json);
            redactor = resolution.redactor();
            json = resolution.input();
        } catch (SecretRefusedException e) {
            return fail(false, e.getMessage());
        } catch (IOException e) {
            return fail(true, e.getMessage());
        }
        Object input;
        try {
            input = worker.mapper().treeToValue(json, handler.inputType());
        } catch (RuntimeException e) {
            return fail(false, "Input does not fit " + handler.inputType().toCanonical() + ": " + e.getMessage());
        }
        Object result;
        try {
            result = handler.handler().handle(input, this);
        } catch (TerminalTaskException e) {
            return fail(false, describe(e));
        } catch (LeaseLostException e) {
            return "lease-lost";
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            if (leaseLost) {
                return "lease-lost";
            }
            return fail(true, describe(e));
        }
        if (leaseLost) {
            return "lease-lost";
        }
        JsonNode output;
        try {
            output = result == null ? null : redactor.redact((JsonNode) worker.mapper().valueToTree(result));
        } catch (RuntimeException e) {
            return fail(false, "Output of " + lease.type() + " cannot be written as JSON: " + e.getMessage());
        }
        return complete(output);
    }

    private String complete(JsonNode output) {
        if (!claimReport()) {
            return "abandoned";
        }
        long sent = System.nanoTime();
        try {
            ReportResponse response = worker.reports().send(TaskReport.completed(lease.leaseId(), output)
                    .withTraceparent(traceparent), slot);
            if (response == null) {
                return "abandoned";
            }
            reported("completed", sent);
            log.info("Completed {} attempt {}{}", lease.type(), lease.attempt(), response.duplicate() ? " (already reported)" : "");
            return "completed";
        } catch (FlowRaftProblemException e) {
            if (e.status() == 422) {
                // The output broke a limit (too large): it will every time, so the attempt fails for good.
                return sendFailure(false, "Output refused by the coordinator: "
                        + (e.problem() == null ? e.getMessage() : e.problem().detail()));
            }
            return refused(e, "completion");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "abandoned";
        }
    }

    private String fail(boolean retryable, String error) {
        if (!claimReport()) {
            return "abandoned";
        }
        return sendFailure(retryable, error);
    }

    private String sendFailure(boolean retryable, String error) {
        String redacted = redactor.redact(error);
        String message = redacted.length() > MAX_ERROR_CHARS ? redacted.substring(0, MAX_ERROR_CHARS) : redacted;
        long sent = System.nanoTime();
        try {
            ReportResponse response = worker.reports().send(TaskReport.failed(lease.leaseId(), message, retryable)
                    .withTraceparent(traceparent), slot);
            if (response == null) {
                return "abandoned";
            }
            reported("failed", sent);
            log.info("Failed {} attempt {} ({}): {}", lease.type(), lease.attempt(), retryable ? "retryable" : "terminal",
                    RemoteText.escape(message));
            return retryable ? "failed-retryable" : "failed-terminal";
        } catch (FlowRaftProblemException e) {
            return refused(e, "failure");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "abandoned";
        }
    }

    /** A 4xx on a report: 409 and 404 mean the lease is not ours any more; the result is dropped. */
    private String refused(FlowRaftProblemException e, String what) {
        if (e.status() == 409 || e.status() == 404) {
            leaseLost = true;
            worker.metrics().leaseLost(lease.type(), "report");
            log.warn("Lease lost: the coordinator refused the {} of {} attempt {} ({}); the result is dropped",
                    what, lease.type(), lease.attempt(), RemoteText.escape(redactor.redact(e.getMessage())));
            return "lease-lost";
        }
        log.error("The coordinator refused the {} of {} attempt {}: {}", what, lease.type(), lease.attempt(),
                RemoteText.escape(redactor.redact(e.getMessage())));
        return "report-refused";
    }

    /**
     * Called by the stopping worker once the grace period is over: interrupts the handler and, unless the task
     * already reports, fails it as retryable so another worker can take it without waiting for the lease to end.
     */
    void abandon() {
        boolean mine = claimReport();
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        if (mine) {
            MDC.put("workflowId", lease.workflowId());
            MDC.put("taskId", lease.taskId());
            MDC.put("leaseId", lease.leaseId());
            try {
                // The task thread, if it ever returns, counts the outcome ("abandoned").
                sendFailure(true, "The worker shut down before the task finished");
            } finally {
                MDC.clear();
            }
        }
    }

    /** Called when the worker is killed: nothing is reported, the lease runs out on the coordinator. */
    void kill() {
        reportClaimed.set(true);
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    /** The run slot this task holds until it ends or its report's exchange takes it over. */
    Slot slot() {
        return slot;
    }

    // --- LeaseKeeper.Attempt -------------------------------------------------------------------------------

    @Override
    public boolean needsLease() {
        return !finished && !leaseLost && !reportClaimed.get();
    }

    @Override
    public void leaseRefused(String detail) {
        leaseLost = true;
        worker.metrics().leaseLost(lease.type(), "heartbeat");
        log.warn("Lease {} lost: heartbeat refused for {} attempt {} ({}); stopping the handler", lease.leaseId(),
                lease.type(), lease.attempt(), RemoteText.escape(detail));
        // Nothing may be reported under a lost lease; the task thread counts the outcome when it returns.
        claimReport();
        interruptHandler();
    }

    @Override
    public void leaseOver(String why) {
        if (!claimReport()) {
            return; // the outcome is on its way: the coordinator judges whether it came in time
        }
        leaseLost = true;
        worker.metrics().leaseLost(lease.type(), "deadline");
        log.warn("Lease {} of {} attempt {} ran out on this worker ({}); stopping the handler, its result is dropped",
                lease.leaseId(), lease.type(), lease.attempt(), why);
        interruptHandler();
    }

    /** Unless the handler itself heartbeated and learned of it: it is told by a {@link LeaseLostException}. */
    private void interruptHandler() {
        Thread running = thread;
        if (running != null && running != Thread.currentThread() && !finished) {
            running.interrupt();
        }
    }

    /** Only answered reports count: one abandoned by a stopping worker says nothing about the coordinator. */
    private void reported(String kind, long sentNanos) {
        long nanos = System.nanoTime() - sentNanos;
        worker.reportLatency().record(nanos);
        worker.metrics().reported(kind, nanos);
    }

    private boolean claimReport() {
        return reportClaimed.compareAndSet(false, true);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    // --- TaskContext ---------------------------------------------------------------------------------------

    @Override
    public String workflowId() {
        return lease.workflowId();
    }

    @Override
    public String taskId() {
        return lease.taskId();
    }

    @Override
    public String type() {
        return lease.type();
    }

    @Override
    public int attempt() {
        return lease.attempt();
    }

    @Override
    public String idempotencyKey() {
        return lease.idempotencyKey();
    }

    @Override
    public String leaseId() {
        return lease.leaseId();
    }

    @Override
    public Instant leaseExpiresAt() {
        return keeper.time().expiresAt();
    }

    @Override
    public Duration leaseRemaining() {
        return keeper.time().remaining();
    }

    @Override
    public Instant heartbeat() {
        if (leaseLost) {
            throw new LeaseLostException("Lease " + lease.leaseId() + " is no longer held", null);
        }
        keeper.heartbeat();
        return keeper.time().expiresAt();
    }

    @Override
    public boolean isLeaseLost() {
        return leaseLost;
    }

    @Override
    public String redact(String text) {
        return redactor.redact(text);
    }

    @Override
    public String toString() {
        return lease.type() + " " + lease.leaseId();
    }
}
