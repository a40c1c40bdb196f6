package io.flowraft.worker.runtime;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.TraceParent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;

/**
 * The worker's span of one task attempt, {@code flowraft.task}: a child of the span whose W3C trace context the
 * lease carries (the workflow's submit span on the coordinator), extracted with the configured propagator (W3C by
 * default), tagged with the workflow, task, type and attempt. A lease without a trace context starts a trace of
 * its own. Its context goes back with the report, so the coordinator's report span is its child. With tracing off
 * every span is a no-op and reports carry no trace context.
 */
public final class TaskTracing {

    public static final TaskTracing NOOP = new TaskTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    public TaskTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    Span start(Lease lease) {
        Span.Builder builder = TraceParent.isValid(lease.traceparent())
                ? propagator.extract(Map.of(TraceParent.HEADER, lease.traceparent()), Map::get)
                : tracer.spanBuilder();
        return builder.name("flowraft.task").kind(Span.Kind.CONSUMER).tag("flowraft.workflow_id", lease.workflowId())
                .tag("flowraft.task_id", lease.taskId()).tag("flowraft.task_type", lease.type())
                .tag("flowraft.attempt", lease.attempt()).start();
    }

    Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    /** The span's W3C trace context, or null for a no-op span. */
    static String traceparent(Span span) {
        TraceContext context = span.context();
        return context == null ? null
                : TraceParent.of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }
}
