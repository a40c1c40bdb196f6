package io.flowraft.coordinator.api;

import io.flowraft.coordinator.api.tracing.ReportLogContext;
import io.flowraft.coordinator.api.tracing.WorkflowTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.flowraft.contracts.CompleteTaskRequest;
import io.flowraft.contracts.FailTaskRequest;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.HeartbeatResponse;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.coordinator.api.mapping.CommandMapper;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.security.Caller;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/leases/{leaseId}/...}: what a worker says about a task it holds. Fencing happens in the
 * engine, never here: a report under a lease that is no longer current is 409 {@code stale-lease} (or
 * {@code lease-expired}); an unknown one 404 {@code lease-not-found}; a malformed id 400 before anything is
 * proposed. Reports are idempotent: the same report again answers 200 with {@code duplicate = true}. A lease is
 * bound to the principal that polled it: the caller's principal goes into each command, and the engine refuses
 * a heartbeat or report from any other with 403 {@code lease-not-owned} (admins included), changing nothing.
 */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/leases/{leaseId}", produces = FlowRaftHttp.JSON)
public class LeaseController {

    private final CommandGateway gateway;
    private final ApiExecutor executor;
    private final EdgeLimits limits;
    private final WorkflowTracing tracing;

    LeaseController(CommandGateway gateway, ApiExecutor executor, EdgeLimits limits, WorkflowTracing tracing) {
        this.tracing = tracing;
        this.limits = limits;
        this.gateway = gateway;
        this.executor = executor;
    }

    /** Extends the lease by its length, never past the task's timeout. */
    @PostMapping("/heartbeat")
    public CompletableFuture<HeartbeatResponse> heartbeat(@PathVariable String leaseId) {
        RequestChecks.leaseId(leaseId);
        return submit(new Heartbeat(0, leaseId, Caller.current().principal()), LeaseExtended.class)
                .thenApply(extended -> new HeartbeatResponse(extended.leaseId(), Instant.ofEpochMilli(extended.expiresAt()),
                        extended.remainingMs() < 0 ? null : extended.remainingMs()));
    }

    /** Body optional: no body, {@code {}} and {@code {"output": null}} all complete without output. */
    @PostMapping("/complete")
    public CompletableFuture<ReportResponse> complete(@PathVariable String leaseId,
            @RequestBody(required = false) CompleteTaskRequest request) {
        RequestChecks.leaseId(leaseId);
        CompleteTask command = CommandMapper.complete(leaseId, request, Caller.current().principal());
        limits.checkComplete(command);
        return report(leaseId, "COMPLETED", request == null ? null : request.traceparent(), command);
    }

    /** Body optional; {@code retryable} defaults to {@code true}. */
    @PostMapping("/fail")
    public CompletableFuture<ReportResponse> fail(@PathVariable String leaseId,
            @RequestBody(required = false) FailTaskRequest request) {
        RequestChecks.leaseId(leaseId);
        return report(leaseId, "FAILED", request == null ? null : request.traceparent(),
                CommandMapper.fail(leaseId, request, Caller.current().principal()));
    }

    /** A report, in a span that continues the worker's (see WorkflowTracing). */
    private CompletableFuture<ReportResponse> report(String leaseId, String outcome, String traceparent, Command command) {
        Span span = tracing.startReport(traceparent, leaseId, outcome);
        try (Tracer.SpanInScope scope = tracing.tracer().withSpan(span);
                ReportLogContext logContext = ReportLogContext.of(leaseId)) {
            return submit(command, TaskReported.class).thenApply(LeaseController::answer)
                    .whenComplete((answer, failure) -> {
                        if (failure != null) {
                            span.error(failure);
                        }
                        span.end();
                    });
        }
    }

    private <T extends CommandResult> CompletableFuture<T> submit(Command command, Class<T> expected) {
        return gateway.submit(command).thenApplyAsync(result -> EngineResults.expect(result, expected), executor);
    }

    /** The answer to a committed report; {@code POST /reports} answers each of its reports the same way. */
    static ReportResponse answer(TaskReported reported) {
        return new ReportResponse(reported.leaseId(), reported.workflowId(), reported.taskId(), reported.taskStatus(),
                reported.duplicate());
    }
}
