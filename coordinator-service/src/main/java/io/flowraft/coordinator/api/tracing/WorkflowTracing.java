package io.flowraft.coordinator.api.tracing;

import io.flowraft.contracts.TraceParent;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The coordinator's spans of a workflow's trace (Micrometer Tracing over OpenTelemetry, see docs/OPERATIONS.md):
 * <ul>
 *   <li>{@code flowraft.submit}: a child of the request's server span (itself a child of the caller's
 *       {@code traceparent} header, or the root of a new trace). Its context is the workflow's trace context, kept
 *       in the replicated state and handed to workers in every lease, so their spans are its children;</li>
 *   <li>{@code flowraft.commit}: a child of the span that proposed a command, from the proposal until it is
 *       committed (or refused);</li>
 *   <li>{@code flowraft.lease}: one per lease a poll returned, a child of the workflow's submit span;</li>
 *   <li>{@code flowraft.report}: one per report, a child of the worker's span that ran the task (the report's
 *       {@code traceparent}), until the report is committed.</li>
 * </ul>
 * With tracing off ({@code management.tracing.export.enabled=false}) the tracer is a no-op: no span is recorded,
 * and a submit keeps the caller's valid {@code traceparent}, if any, as the workflow's trace context.
 */
@Component
public class WorkflowTracing {

    private final Tracer tracer;
    private final Propagator propagator;

    public WorkflowTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** A span started here; {@link #traceparent()} is its W3C trace context, or null when tracing is off. */
    public record Started(Span span, String traceparent) {

        /** Ends the span when {@code future} completes, tagged with the failure if it failed. */
        public <T> CompletableFuture<T> endWhen(CompletableFuture<T> future) {
            return future.whenComplete((value, failure) -> {
                if (failure != null) {
                    span.error(failure);
                }
                span.end();
            });
        }
    }

    /**
     * Starts the submit span in the current trace (the request's). Its context becomes the workflow's; when the
     * tracer records nothing, the caller's {@code traceparent} header stands in if it is valid.
     */
    public Started startSubmit(String headerTraceparent) {
        Span span = tracer.nextSpan().name("flowraft.submit").start();
        String own = traceparentOf(span.context());
        return new Started(span, own != null ? own : TraceParent.validOrNull(headerTraceparent));
    }

    /** Starts the commit span of a command proposed under {@code parent}. */
    public Span startCommit(Span parent, String command) {
        return tracer.nextSpan(parent).name("flowraft.commit").tag("flowraft.command", command).start();
    }

    /** Records one {@code flowraft.lease} span per lease, each in its workflow's trace. */
    public void leased(String workerId, List<GrantedLease> leases) {
        for (GrantedLease lease : leases) {
            if (lease.traceParent() == null) {
                continue;
            }
            Span span = childOf(lease.traceParent()).name("flowraft.lease").tag("flowraft.workflow_id", lease.workflowId())
                    .tag("flowraft.task_id", lease.taskId()).tag("flowraft.task_type", lease.type())
                    .tag("flowraft.attempt", lease.attempt()).tag("flowraft.worker_id", workerId).start();
            span.end();
        }
    }

    /**
     * Starts the span of one report: a child of the worker's span when the report carries a valid
     * {@code traceparent}, else of the current span (the request's).
     */
    public Span startReport(String reportTraceparent, String leaseId, String outcome) {
        if (!TraceParent.isValid(reportTraceparent)) {
            return tracer.nextSpan().name("flowraft.report").tag("flowraft.lease_id", leaseId)
                    .tag("flowraft.outcome", String.valueOf(outcome)).start();
        }
        return childOf(reportTraceparent).name("flowraft.report").tag("flowraft.lease_id", leaseId)
                .tag("flowraft.outcome", String.valueOf(outcome)).start();
    }

    public Tracer tracer() {
        return tracer;
    }

    private Span.Builder childOf(String traceparent) {
        return propagator.extract(Map.of(TraceParent.HEADER, traceparent), Map::get);
    }

    /** The W3C trace context of a span, or null for a no-op span (tracing off). */
    public static String traceparentOf(TraceContext context) {
        if (context == null) {
            return null;
        }
        return TraceParent.of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }
}
