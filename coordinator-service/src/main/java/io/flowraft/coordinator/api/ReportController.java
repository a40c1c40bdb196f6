package io.flowraft.coordinator.api;

import io.flowraft.coordinator.api.tracing.ReportLogContext;
import io.flowraft.coordinator.api.tracing.WorkflowTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.flowraft.contracts.CompleteTaskRequest;
import io.flowraft.contracts.FailTaskRequest;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.ReportBatchRequest;
import io.flowraft.contracts.ReportBatchResponse.Result;
import io.flowraft.contracts.ReportBatchResponse;
import io.flowraft.contracts.TaskReport;
import io.flowraft.coordinator.api.error.ApiError;
import io.flowraft.coordinator.api.error.ApiExceptionHandler;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.error.ProblemResponses;
import io.flowraft.coordinator.api.mapping.CommandMapper;
import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.Problem;
import io.flowraft.coordinator.api.mapping.LeaseViews;
import io.flowraft.coordinator.api.poll.PollPlan;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.security.Caller;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/reports}: many completions and failures in one request. Each report is the command its
 * own {@code /leases/{leaseId}/complete} or {@code /fail} would propose, proposed together, so they share one
 * HTTP request and usually one Raft entry; each is answered on its own, with the status and problem that
 * endpoint would have given (a stale lease is 409 for that report only). The request is 200 whenever it was
 * well formed; a worker resends only the reports answered 429, 503 or 504. Every report carries the caller's
 * principal, so one under a lease another principal polled is 403 {@code lease-not-owned} for that report only.
 *
 * <p>A request with a {@code next} poll is a whole exchange: that poll's {@code LeaseTasks} is proposed right
 * after the reports, from the same thread, so the leader's proposer packs it into their Raft entry (or the next)
 * and applies it after them: it sees the successors they made READY, and it leases the READY tasks of the reported
 * workflows first (in report order), then the oldest READY. One entry then commits a step's end and the next
 * step's lease, on the same worker. The poll never waits; its leases are bound to the caller like any poll's.
 */
@RestController
public class ReportController {

    private final CommandGateway gateway;
    private final EdgeLimits limits;
    private final WorkflowTracing tracing;

    ReportController(CommandGateway gateway, EdgeLimits limits, WorkflowTracing tracing) {
        this.tracing = tracing;
        this.limits = limits;
        this.gateway = gateway;
    }

    @PostMapping(path = FlowRaftHttp.API_V1 + "/reports", produces = FlowRaftHttp.JSON)
    public CompletableFuture<ReportBatchResponse> report(@RequestBody ReportBatchRequest request) {
        List<TaskReport> reports = request.reports();
        if (reports.isEmpty() || reports.size() > ReportBatchRequest.MAX_REPORTS) {
            throw ApiProblemException.invalid("reports", "Expected 1 to " + ReportBatchRequest.MAX_REPORTS
                    + " reports, but found " + reports.size());
        }
        String principal = Caller.current().principal();
        LeaseTasks next = nextPoll(request.next(), principal, reports);
        List<CompletableFuture<Result>> results = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            results.add(one(i, reports.get(i), principal));
        }
        CompletableFuture<NextAnswer> leases = next == null
                ? CompletableFuture.completedFuture(NextAnswer.NONE)
                : lease(next, request.next().workerId());
        CompletableFuture<?>[] all = new CompletableFuture<?>[results.size() + 1];
        results.toArray(all);
        all[results.size()] = leases;
        return CompletableFuture.allOf(all).thenApply(done -> {
            NextAnswer answer = leases.join();
            return new ReportBatchResponse(results.stream().map(CompletableFuture::join).toList(), answer.leases(),
                    answer.problem());
        });
    }

    /**
     * The {@code next} poll's command, checked as a poll is; {@code null} when none was asked for. It prefers the
     * workflows of the reported leases, so the successors the reports make READY are leased first.
     */
    private static LeaseTasks nextPoll(PollRequest poll, String principal, List<TaskReport> reports) {
        if (poll == null) {
            return null;
        }
        if (poll.waitMs() != null && poll.waitMs() != 0) {
            throw ApiProblemException.invalid("next.waitMs",
                    "Expected no waitMs, or 0: the next poll of a report never waits, but found " + poll.waitMs());
        }
        try {
            return PollPlan.of(poll, principal).preferring(reportedWorkflows(reports)).command();
        } catch (ApiProblemException e) {
            throw new ApiProblemException(e.type(), "next." + e.field(), e.getMessage());
        }
    }

    /**
     * The workflows of the reported leases, in report order, each once; a report without a well-formed lease id
     * names none (it is answered 400 on its own).
     */
    static List<String> reportedWorkflows(List<TaskReport> reports) {
        List<String> workflowIds = new ArrayList<>();
        Set<String> seen = new HashSet<>(); // lookups only: the reports give the order
        for (TaskReport report : reports) {
            if (report != null) {
                LeaseId.parse(report.leaseId()).map(LeaseId::workflowId).filter(seen::add).ifPresent(workflowIds::add);
            }
        }
        return workflowIds;
    }

    /** The leases of the {@code next} poll, or the problem it met; never fails, the reports are answered anyway. */
    private CompletableFuture<NextAnswer> lease(LeaseTasks command, String workerId) {
        CompletableFuture<CommandResult> proposal;
        try {
            proposal = gateway.submit(command);
        } catch (RuntimeException e) {
            proposal = CompletableFuture.failedFuture(e);
        }
        // On the thread that completed the proposal (the Raft layer's completions, never its state machine thread):
        // a hop to the API executor per report and per lease answer cost more than the mapping itself.
        return proposal.handle((answer, failure) -> {
            Throwable problem = failure;
            if (failure == null && answer instanceof Rejection rejection) {
                problem = new ApiProblemException(rejection.type(),
                        rejection.field() == null ? null : "next." + rejection.field(), rejection.message());
            }
            if (problem == null) {
                List<GrantedLease> granted = EngineResults.expect(answer, LeasesGranted.class).leases();
                tracing.leased(workerId, granted);
                return new NextAnswer(LeaseViews.toView(granted), null);
            }
            ApiError error = ApiExceptionHandler.answerFor(problem, "POST /api/v1/reports, next");
            return new NextAnswer(null, ProblemResponses.problem(error));
        });
    }

    /** What the {@code next} poll came to: its leases, or the problem instead. */
    private record NextAnswer(List<Lease> leases, Problem problem) {
        static final NextAnswer NONE = new NextAnswer(null, null);
    }

    /** One report, in a span of its own: a child of the worker's span that ran the task (see WorkflowTracing). */
    private CompletableFuture<Result> one(int index, TaskReport report, String principal) {
        String leaseId = report == null ? null : report.leaseId();
        Span span = tracing.startReport(report == null ? null : report.traceparent(), leaseId,
                report == null ? null : String.valueOf(report.outcome()));
        try (Tracer.SpanInScope scope = tracing.tracer().withSpan(span);
                ReportLogContext logContext = ReportLogContext.of(leaseId)) {
            Command command;
            try {
                command = command(index, report, principal);
            } catch (RuntimeException e) {
                Result result = failed(index, leaseId, e);
                span.tag("flowraft.status", result.status()).end();
                return CompletableFuture.completedFuture(result);
            }
            CompletableFuture<CommandResult> proposal;
            try {
                proposal = gateway.submit(command);
            } catch (RuntimeException e) {
                // Refused before it was proposed: this report's answer, not the whole request's.
                proposal = CompletableFuture.failedFuture(e);
            }
            return proposal
                    .thenApply(result -> new Result(leaseId, 200,
                            LeaseController.answer(EngineResults.expect(result, TaskReported.class)), null))
                    .exceptionally(e -> failed(index, leaseId, e))
                    .whenComplete((result, failure) -> span.tag("flowraft.status", result == null ? 500 : result.status())
                            .end());
        }
    }

    private Command command(int index, TaskReport report, String principal) {
        String at = "reports[" + index + "]";
        if (report == null) {
            throw ApiProblemException.invalid(at, "Expected a report, but found null");
        }
        try {
            RequestChecks.leaseId(report.leaseId());
        } catch (ApiProblemException e) {
            throw ApiProblemException.invalid(at + ".leaseId", e.getMessage());
        }
        if (report.outcome() == null) {
            throw ApiProblemException.invalid(at + ".outcome", "Expected outcome COMPLETED or FAILED, but found none");
        }
        return switch (report.outcome()) {
            case COMPLETED -> {
                CompleteTask complete = CommandMapper.complete(report.leaseId(), new CompleteTaskRequest(report.output()),
                        principal);
                try {
                    limits.checkComplete(complete);
                } catch (ApiProblemException e) {
                    throw new ApiProblemException(e.type(), at + ".output", e.getMessage());
                }
                yield complete;
            }
            case FAILED -> CommandMapper.fail(report.leaseId(), new FailTaskRequest(report.error(), report.retryable()),
                    principal);
        };
    }

    /** The problem the single-report endpoint would have answered, as this report's result. */
    private static Result failed(int index, String leaseId, Throwable failure) {
        ApiError error = ApiExceptionHandler.answerFor(failure, "POST /api/v1/reports, reports[" + index + "]");
        return new Result(leaseId, error.status(), null, ProblemResponses.problem(error));
    }
}
