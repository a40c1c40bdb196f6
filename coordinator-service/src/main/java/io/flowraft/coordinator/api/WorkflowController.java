package io.flowraft.coordinator.api;

import io.flowraft.contracts.CancelWorkflowRequest;
import io.flowraft.contracts.DefinitionRef;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TraceParent;
import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.error.Quote;
import io.flowraft.coordinator.api.mapping.CommandMapper;
import io.flowraft.coordinator.api.mapping.HistoryViews;
import io.flowraft.coordinator.api.mapping.ListCursor;
import io.flowraft.coordinator.api.mapping.StuckListing;
import io.flowraft.coordinator.api.mapping.WorkflowListing;
import io.flowraft.coordinator.api.mapping.WorkflowViews;
import io.flowraft.coordinator.api.poll.Deadline;
import io.flowraft.coordinator.api.poll.EndWait;
import io.flowraft.coordinator.api.tracing.WorkflowTracing;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.engine.stuck.StuckRules;
import io.flowraft.coordinator.history.ExportedWorkflow;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.PollSightings;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import io.flowraft.coordinator.replication.WorkflowEnds;
import io.flowraft.coordinator.security.Caller;
import io.micrometer.tracing.Span;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code /api/v1/workflows}: submit, read, list, history, cancel. Writes go through Raft and are answered
 * once committed; the answer's view is read on this node once it has applied the write's entry (no second
 * Raft round trip), so it shows at least the committed write. Views and history show lease ids to admins only
 * (the caller is read on the request thread, before any asynchronous step).
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
    private final WorkflowEnds ends;
    private final EdgeLimits limits;
    private final HistoryLookup history;
    private final PollSightings sightings;
    private final StuckRules stuckRules;
    private final WorkflowTracing tracing;

    WorkflowController(CommandGateway gateway, StateReader reader, ApiExecutor executor, ApiProperties properties,
            WorkflowEnds ends, EdgeLimits limits, HistoryLookup history, PollSightings sightings,
            StuckProperties stuck, WorkflowTracing tracing) {
        this.sightings = sightings;
        this.stuckRules = stuck.rules();
        this.tracing = tracing;
        this.limits = limits;
        this.history = history;
        this.gateway = gateway;
        this.reader = reader;
        this.ends = ends;
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
            @RequestHeader(name = FlowRaftHttp.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestHeader(name = TraceParent.HEADER, required = false) String traceparent) {
        // The workflow's trace context is the submit span's: the request's server span already continues the
        // caller's traceparent header (or started a trace), and a malformed header is ignored.
        WorkflowTracing.Started submit = tracing.startSubmit(traceparent);
        try {
            var command = CommandMapper.submit(request, idempotencyKey, UUID.randomUUID().toString(),
                    submit.traceparent());
            limits.checkSubmit(command);
            return submit.endWhen(submit(command, submit));
        } catch (RuntimeException e) {
            submit.span().error(e).end();
            throw e;
        }
    }

    private CompletableFuture<ResponseEntity<WorkflowView>> submit(SubmitWorkflow command,
            WorkflowTracing.Started submit) {
        boolean admin = Caller.current().isAdmin();
        Span commit = tracing.startCommit(submit.span(), "SubmitWorkflow");
        CompletableFuture<Committed> committedFuture = gateway.commit(command).whenComplete((done, failure) -> {
            if (failure != null) {
                commit.error(failure);
            }
            commit.end();
        });
        return committedFuture.thenComposeAsync(committed -> {
            WorkflowSubmitted submitted = EngineResults.expect(committed.result(), WorkflowSubmitted.class);
            submit.span().tag("flowraft.workflow_id", submitted.workflowId());
            return committedView(submitted.workflowId(), committed.index(), admin).thenApply(view -> {
                URI location = location(view.id());
                return submitted.created()
                        ? ResponseEntity.created(location).body(view)
                        : ResponseEntity.ok().location(location).body(view);
            });
        }, executor);
    }

    /**
     * The workflow as it stands. With {@code waitMs} (0 to 60000; 0, the default, answers at once) a RUNNING
     * workflow holds the request, suspended, until it ends on this node or the wait passes; either way the
     * answer is 200 with the view then, and the client checks {@code status}. Each read has the requested
     * consistency.
     */
    @GetMapping("/{workflowId}")
    public DeferredResult<WorkflowView> get(@PathVariable String workflowId,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency,
            @RequestParam(name = FlowRaftHttp.WAIT_MS, required = false) Long waitMs) {
        RequestChecks.id("workflowId", workflowId);
        ReadConsistency readConsistency = RequestChecks.consistency(consistency);
        Duration waitFor = Deadline.checkedWait(waitMs);
        boolean admin = Caller.current().isAdmin();
        return new EndWait<>(executor, waitFor, remaining -> ends.awaitEnd(workflowId, remaining),
                () -> view(readConsistency, workflowId, admin), view -> view.status().isTerminal())
                .hold(waitFor, properties.requestTimeout());
    }

    /**
     * Workflows in id order, live and from history alike, each once; {@code nextCursor} is {@code null} on the
     * last page. With {@code stuck=true}, only RUNNING workflows that make no progress, each with its
     * {@code stuckReasons}, from the live state alone ({@link StuckListing}); the other filters still apply. Any
     * coordinator answers it alike: the poll times it judges by come from the committed polls it applied, and
     * "for how long" is measured on the leader's clock (on a follower, as the applied stamps tell it).
     */
    @GetMapping
    public CompletableFuture<WorkflowPage> list(
            @RequestParam(required = false) Boolean stuck,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String definition,
            @RequestParam(required = false) Instant createdFrom,
            @RequestParam(required = false) Instant createdTo,
            @RequestParam(required = false) String idempotencyKey,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency) {
        RequestChecks.range("createdFrom", createdFrom, "createdTo", createdTo);
        RequestChecks.key("idempotencyKey", idempotencyKey);
        WorkflowListing.Filter filter = new WorkflowListing.Filter(status(status), definitionFilter(definition),
                createdFrom == null ? null : createdFrom.toEpochMilli(), createdTo == null ? null : createdTo.toEpochMilli(),
                idempotencyKey);
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw ApiProblemException.invalid("limit",
                    "Expected limit between 1 and " + MAX_PAGE_SIZE + ", but found " + pageSize);
        }
        String afterId = ListCursor.decode(cursor);
        int scanLimit = properties.listScanLimit();
        ReadConsistency readConsistency = RequestChecks.consistency(consistency);
        if (Boolean.TRUE.equals(stuck)) {
            return reader.read(readConsistency, state -> StuckListing.page(state, filter, afterId, pageSize, scanLimit,
                    sightings.leaderNow(), sightings, stuckRules));
        }
        // The state first, then history: a workflow that leaves the state in between was exported before it left.
        boolean withHistory = history.enabled();
        return reader.read(readConsistency, state -> WorkflowListing.live(state, filter, afterId, pageSize, scanLimit,
                        withHistory))
                .thenApplyAsync(live -> WorkflowListing.merged(live, withHistory
                        ? history.read(store -> store.list(filter.query(afterId, pageSize))).orElse(null)
                        : null, pageSize), executor);
    }

    @GetMapping("/{workflowId}/history")
    public CompletableFuture<WorkflowHistory> history(@PathVariable String workflowId,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency) {
        RequestChecks.id("workflowId", workflowId);
        boolean admin = Caller.current().isAdmin();
        return reader.read(RequestChecks.consistency(consistency), state -> copyHistory(state.workflow(workflowId)))
                .thenApplyAsync(live -> {
                    if (live != null) {
                        return HistoryViews.toView(workflowId, live, admin);
                    }
                    return history.read(store -> store.history(workflowId))
                            .filter(lines -> !lines.isEmpty())
                            .map(lines -> HistoryViews.fromHistory(workflowId, lines, admin))
                            .orElseThrow(() -> notFound(workflowId));
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
        boolean admin = Caller.current().isAdmin();
        return gateway.commit(CommandMapper.cancel(workflowId, request)).thenComposeAsync(committed -> {
            if (committed.result() instanceof Rejection rejection && rejection.type() == ProblemType.WORKFLOW_NOT_FOUND) {
                // Not live: a workflow that ended and left the state answers as it would have while live.
                var evicted = history.read(store -> store.workflow(workflowId)).flatMap(found -> found);
                if (evicted.isPresent()) {
                    return CompletableFuture.completedFuture(cancelOfEvicted(evicted.get(), admin));
                }
            }
            WorkflowCancelled cancelled = EngineResults.expect(committed.result(), WorkflowCancelled.class);
            return viewAfter(committed.index(), cancelled.workflowId(), admin);
        }, executor);
    }

    /** Cancelling again is 200 with the view; a workflow that completed or failed is 409, as while it was live. */
    private static WorkflowView cancelOfEvicted(ExportedWorkflow evicted, boolean admin) {
        if (!WorkflowStatus.CANCELLED.name().equals(evicted.status())) {
            throw new ApiProblemException(ProblemType.WORKFLOW_FINISHED, "workflowId", "Workflow '" + evicted.id()
                    + "' already " + evicted.status() + " and cannot be cancelled");
        }
        return WorkflowViews.fromHistory(evicted).toView(admin);
    }

    /**
     * The view of a workflow whose submit just committed at {@code index}. The commit is the answer: if the
     * read-back fails (this node did not apply the entry in time and the linearizable fallback failed too, say
     * in a leader change), this node's local view is used, and if that does not hold it yet, a view with the
     * id only; never an error that would tell the client nothing happened when the workflow exists.
     */
    private CompletableFuture<WorkflowView> committedView(String workflowId, long index, boolean admin) {
        return viewAfter(index, workflowId, admin)
                .exceptionallyCompose(e -> view(ReadConsistency.STALE, workflowId, admin))
                .exceptionally(e -> new WorkflowView(workflowId, null, null, null, List.of(), null, null));
    }

    /** The view once this node has applied {@code index}, a write of this request: never older than the write. */
    private CompletableFuture<WorkflowView> viewAfter(long index, String workflowId, boolean admin) {
        return view(reader.readAfter(index, captureOf(workflowId)), workflowId, admin);
    }

    private CompletableFuture<WorkflowView> view(ReadConsistency consistency, String workflowId, boolean admin) {
        return view(reader.read(consistency, captureOf(workflowId)), workflowId, admin);
    }

    private static Function<EngineReadState, WorkflowViews.Captured> captureOf(String workflowId) {
        return state -> WorkflowViews.capture(state.workflow(workflowId));
    }

    /**
     * Builds the view outside the state lock; a workflow not in the state is read from history (it finished and
     * left), and one in neither is 404. Lease ids only for an admin.
     */
    private CompletableFuture<WorkflowView> view(CompletableFuture<WorkflowViews.Captured> read, String workflowId,
            boolean admin) {
        return read.thenApplyAsync(captured -> {
            if (captured != null) {
                return captured.toView(admin);
            }
            return history.read(store -> store.workflow(workflowId)).flatMap(found -> found)
                    .map(found -> WorkflowViews.fromHistory(found).toView(admin))
                    .orElseThrow(() -> notFound(workflowId));
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
