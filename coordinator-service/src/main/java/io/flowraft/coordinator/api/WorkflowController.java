package io.flowraft.coordinator.api;

import io.flowraft.contracts.CancelWorkflowRequest;
import io.flowraft.contracts.DefinitionRef;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.error.Quote;
import io.flowraft.coordinator.api.mapping.CommandMapper;
import io.flowraft.coordinator.api.mapping.HistoryViews;
import io.flowraft.coordinator.api.mapping.ListCursor;
import io.flowraft.coordinator.api.mapping.WorkflowListing;
import io.flowraft.coordinator.api.mapping.WorkflowViews;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.raft.CommandGateway;
import io.flowraft.coordinator.raft.ReadConsistency;
import io.flowraft.coordinator.raft.StateReader;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/workflows}: submit, read, list, history, cancel. Writes go through Raft and are answered
 * once committed; the answer's view is read back linearizably, so it shows at least the committed write.
 */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/workflows", produces = FlowRaftHttp.JSON)
public class WorkflowController {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;

    private final CommandGateway gateway;
    private final StateReader reader;
    private final ApiExecutor executor;
    private final ApiProperties properties;

    public WorkflowController(CommandGateway gateway, StateReader reader, ApiExecutor executor,
            ApiProperties properties) {
        this.gateway = gateway;
        this.reader = reader;
        this.executor = executor;
        this.properties = properties;
    }

    /**
     * 201 with {@code Location} for a new workflow; 200 with the same workflow when the idempotency key (header
     * or body) started one before with the same request; 422 {@code idempotency-conflict} for the key with
     * another request.
     */
    @PostMapping
    public CompletableFuture<ResponseEntity<WorkflowView>> submit(@RequestBody SubmitWorkflowRequest request,
            @RequestHeader(name = FlowRaftHttp.IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        var command = CommandMapper.submit(request, idempotencyKey, UUID.randomUUID().toString());
        return gateway.submit(command)
                .thenApplyAsync(result -> EngineResults.expect(result, WorkflowSubmitted.class), executor)
                .thenCompose(submitted -> committedView(submitted.workflowId())
                        .thenApply(view -> {
                            URI location = location(view.id());
                            return submitted.created()
                                    ? ResponseEntity.created(location).body(view)
                                    : ResponseEntity.ok().location(location).body(view);
                        }));
    }

    @GetMapping("/{workflowId}")
    public CompletableFuture<WorkflowView> get(@PathVariable String workflowId,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency) {
        RequestChecks.id("workflowId", workflowId);
        return view(RequestChecks.consistency(consistency), workflowId);
    }

    /** Workflows in id order; {@code nextCursor} is {@code null} on the last page. */
    @GetMapping
    public CompletableFuture<WorkflowPage> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String definition,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency) {
        WorkflowListing.Filter filter = new WorkflowListing.Filter(status(status), definitionFilter(definition));
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw ApiProblemException.invalid("limit",
                    "Expected limit between 1 and " + MAX_PAGE_SIZE + ", but found " + pageSize);
        }
        String afterId = ListCursor.decode(cursor);
        int scanLimit = properties.listScanLimit();
        return reader.read(RequestChecks.consistency(consistency),
                state -> WorkflowListing.page(state, filter, afterId, pageSize, scanLimit));
    }

    @GetMapping("/{workflowId}/history")
    public CompletableFuture<WorkflowHistory> history(@PathVariable String workflowId,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency) {
        RequestChecks.id("workflowId", workflowId);
        return reader.read(RequestChecks.consistency(consistency), state -> copyHistory(state.workflow(workflowId)))
                .thenApplyAsync(history -> {
                    if (history == null) {
                        throw notFound(workflowId);
                    }
                    return HistoryViews.toView(workflowId, history);
                }, executor);
    }

    /**
     * Cancels and answers the cancelled workflow (200). Outstanding leases are revoked: their reports become
     * 409 {@code stale-lease}. Cancelling again answers 200 the same; a workflow that completed or failed is
     * 409 {@code workflow-finished}.
     */
    @PostMapping("/{workflowId}/cancel")
    public CompletableFuture<WorkflowView> cancel(@PathVariable String workflowId,
            @RequestBody(required = false) CancelWorkflowRequest request) {
        RequestChecks.id("workflowId", workflowId);
        return gateway.submit(CommandMapper.cancel(workflowId, request))
                .thenApplyAsync(result -> EngineResults.expect(result, WorkflowCancelled.class), executor)
                .thenCompose(cancelled -> view(ReadConsistency.LINEARIZABLE, cancelled.workflowId()));
    }

    /**
     * The view of a workflow whose submit just committed. The commit is the answer: if the linearizable
     * read-back fails (a leader change between commit and read), this node's local view is used, and if that
     * does not hold it yet, a view with the id only; never an error that would tell the client nothing
     * happened when the workflow exists.
     */
    private CompletableFuture<WorkflowView> committedView(String workflowId) {
        return view(ReadConsistency.LINEARIZABLE, workflowId)
                .exceptionallyCompose(e -> view(ReadConsistency.STALE, workflowId))
                .exceptionally(e -> new WorkflowView(workflowId, null, null, null, List.of(), null, null));
    }

    private CompletableFuture<WorkflowView> view(ReadConsistency consistency, String workflowId) {
        return reader.read(consistency, state -> WorkflowViews.capture(state.workflow(workflowId)))
                .thenApplyAsync(captured -> {
                    if (captured == null) {
                        throw notFound(workflowId);
                    }
                    return captured.toView();
                }, executor);
    }

    private static List<HistoryEntry> copyHistory(WorkflowState workflow) {
        return workflow == null ? null : List.copyOf(workflow.history());
    }

    private static WorkflowStatus status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        try {
            return WorkflowStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblemException.invalid("status", "Expected status to be one of "
                    + List.of(WorkflowStatus.values()) + ", but found " + Quote.of(status));
        }
    }

    private static DefinitionRef definitionFilter(String definition) {
        if (definition == null || definition.isEmpty()) {
            return null;
        }
        try {
            return DefinitionRef.parse(definition);
        } catch (IllegalArgumentException e) {
            throw ApiProblemException.invalid("definition", e.getMessage());
        }
    }

    private static ApiProblemException notFound(String workflowId) {
        return new ApiProblemException(ProblemType.WORKFLOW_NOT_FOUND, "workflowId",
                "No workflow '" + workflowId + "'");
    }

    static URI location(String workflowId) {
        return URI.create(FlowRaftHttp.API_V1 + "/workflows/" + workflowId);
    }
}
