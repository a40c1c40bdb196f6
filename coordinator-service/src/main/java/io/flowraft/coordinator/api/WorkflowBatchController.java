package io.flowraft.coordinator.api;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.SubmitWorkflowBatchRequest;
import io.flowraft.contracts.SubmitWorkflowBatchResponse;
import io.flowraft.contracts.SubmitWorkflowBatchResponse.Result;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TraceParent;
import io.flowraft.contracts.WorkflowEndsRequest;
import io.flowraft.contracts.WorkflowEndsResponse;
import io.flowraft.coordinator.api.error.ApiError;
import io.flowraft.coordinator.api.error.ApiExceptionHandler;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.error.ProblemResponses;
import io.flowraft.coordinator.api.mapping.CommandMapper;
import io.flowraft.coordinator.api.mapping.WorkflowEndsScan;
import io.flowraft.coordinator.api.poll.Deadline;
import io.flowraft.coordinator.api.poll.EndWait;
import io.flowraft.coordinator.api.tracing.WorkflowTracing;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import io.flowraft.coordinator.replication.WorkflowEnds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * For clients that start many workflows: {@code POST /api/v1/workflows/batch} submits many in one request, and
 * {@code POST /api/v1/workflows/ends} waits for whichever of many ends first. Together they take a client's cost
 * per workflow from two requests (submit, then a wait of its own) to a share of two.
 *
 * <p>Each submit of a batch is the command {@code POST /workflows} would propose, proposed together, so they
 * usually share a Raft entry; each is answered on its own with the status and problem that endpoint would have
 * given, but with the id only, not the view (no read-back per workflow). The request is 200 whenever it was well
 * formed; a client resends only the submits answered 429, 503 or 504, under their idempotency keys.
 */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/workflows", produces = FlowRaftHttp.JSON)
public class WorkflowBatchController {

    private final CommandGateway gateway;
    private final StateReader reader;
    private final ApiExecutor executor;
    private final ApiProperties properties;
    private final WorkflowEnds ends;
    private final EdgeLimits limits;
    private final HistoryLookup history;
    private final WorkflowTracing tracing;

    WorkflowBatchController(CommandGateway gateway, StateReader reader, ApiExecutor executor, ApiProperties properties,
            WorkflowEnds ends, EdgeLimits limits, HistoryLookup history, WorkflowTracing tracing) {
        this.gateway = gateway;
        this.reader = reader;
        this.executor = executor;
        this.properties = properties;
        this.ends = ends;
        this.limits = limits;
        this.history = history;
        this.tracing = tracing;
    }

    /**
     * 200 with one result per submit. A state past its budget refuses the whole batch (429, nothing proposed); a
     * malformed submit is a 4xx for that submit only, with its field under {@code workflows[i]}.
     */
    @PostMapping("/batch")
    public CompletableFuture<SubmitWorkflowBatchResponse> submitAll(@RequestBody SubmitWorkflowBatchRequest request,
            @RequestHeader(name = FlowRaftHttp.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestHeader(name = TraceParent.HEADER, required = false) String traceparent) {
        List<SubmitWorkflowRequest> workflows = request.workflows();
        if (workflows.isEmpty() || workflows.size() > SubmitWorkflowBatchRequest.MAX_WORKFLOWS) {
            throw ApiProblemException.invalid("workflows", "Expected 1 to " + SubmitWorkflowBatchRequest.MAX_WORKFLOWS
                    + " workflows, but found " + workflows.size());
        }
        if (idempotencyKey != null) {
            throw ApiProblemException.invalid(FlowRaftHttp.IDEMPOTENCY_KEY, "A batch has no key of its own: give each"
                    + " submit its own idempotencyKey in the body instead of the Idempotency-Key header");
        }
        limits.checkStateBudget();
        List<CompletableFuture<Result>> results = new ArrayList<>(workflows.size());
        for (int i = 0; i < workflows.size(); i++) {
            results.add(one(i, workflows.get(i), traceparent));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new))
                .thenApply(done -> new SubmitWorkflowBatchResponse(results.stream().map(CompletableFuture::join).toList()));
    }

    /** One submit, in a submit span of its own (its context becomes the workflow's, as for a single submit). */
    private CompletableFuture<Result> one(int index, SubmitWorkflowRequest request, String traceparent) {
        WorkflowTracing.Started submit = tracing.startSubmit(traceparent);
        SubmitWorkflow command;
        try {
            command = CommandMapper.submit(request, null, UUID.randomUUID().toString(), submit.traceparent());
            limits.checkSubmit(command);
        } catch (RuntimeException e) {
            submit.span().error(e).end();
            return CompletableFuture.completedFuture(failed(index, e));
        }
        CompletableFuture<CommandResult> proposal;
        try {
            proposal = gateway.submit(command);
        } catch (RuntimeException e) {
            // Refused before it was proposed: this submit's answer, not the whole batch's (others may be in).
            proposal = CompletableFuture.failedFuture(e);
        }
        // On the thread that completed the proposal: no hop to the API executor per submit.
        CompletableFuture<Result> result = proposal.thenApply(answer -> {
            WorkflowSubmitted submitted = EngineResults.expect(answer, WorkflowSubmitted.class);
            submit.span().tag("flowraft.workflow_id", submitted.workflowId());
            return new Result(submitted.workflowId(), submitted.created() ? 201 : 200, null);
        });
        return submit.endWhen(result).exceptionally(e -> failed(index, e));
    }

    /** The problem {@code POST /workflows} would have answered, its field placed under this submit. */
    private static Result failed(int index, Throwable failure) {
        String at = "workflows[" + index + "]";
        ApiError error = ApiExceptionHandler.answerFor(failure, "POST /api/v1/workflows/batch, " + at);
        ApiError placed = new ApiError(error.status(), error.type(), error.title(), error.detail(),
                error.field() == null ? at : at + "." + error.field(), error.leader(), error.retryAfter(),
                error.headers(), error.reason());
        return new Result(null, placed.status(), ProblemResponses.problem(placed));
    }

    /**
     * Those of the named workflows that have ended, and those that exist nowhere; with {@code waitMs}, held (no
     * thread waits) until at least one of them is in either list or the wait passes. An end is read from this
     * node's state (an end, once applied anywhere, is committed); an id this node does not hold is confirmed with
     * a linearizable read and then history before it is called unknown.
     */
    @PostMapping("/ends")
    public DeferredResult<WorkflowEndsResponse> ends(@RequestBody WorkflowEndsRequest request) {
        List<String> ids = request.workflowIds();
        if (ids.isEmpty() || ids.size() > WorkflowEndsRequest.MAX_IDS) {
            throw ApiProblemException.invalid("workflowIds", "Expected 1 to " + WorkflowEndsRequest.MAX_IDS
                    + " workflow ids, but found " + ids.size());
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            RequestChecks.id("workflowIds[" + i + "]", ids.get(i));
            Integer first = seen.putIfAbsent(ids.get(i), i);
            if (first != null) {
                throw ApiProblemException.invalid("workflowIds[" + i + "]",
                        "Expected distinct workflow ids, but this one is workflowIds[" + first + "] again");
            }
        }
        Duration waitFor = Deadline.checkedWait(request.waitMs());
        return new EndWait<>(executor, waitFor, remaining -> ends.awaitAnyEnd(ids, remaining), () -> look(ids),
                found -> !found.ended().isEmpty() || !found.notFound().isEmpty())
                .hold(waitFor, properties.requestTimeout());
    }

    /**
     * Where the workflows stand: this node's state first; what it does not hold, then the committed state (a
     * workflow submitted through another coordinator may not have reached this one), then history (it ended and
     * left the state).
     */
    private CompletableFuture<WorkflowEndsResponse> look(List<String> ids) {
        return reader.read(ReadConsistency.STALE, state -> WorkflowEndsScan.of(state, ids))
                .thenCompose(scan -> scan.missing().isEmpty()
                        ? CompletableFuture.completedFuture(scan)
                        : reader.read(ReadConsistency.LINEARIZABLE, scan::recheck))
                .thenApplyAsync(scan -> scan.missing().isEmpty() ? scan.answer()
                        : scan.answer(missing -> history.read(store -> store.summaries(missing)).orElse(List.of())),
                        executor);
    }
}
