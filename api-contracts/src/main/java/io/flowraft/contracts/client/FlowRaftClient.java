package io.flowraft.contracts.client;

import io.flowraft.contracts.AddPeerRequest;
import io.flowraft.contracts.CancelWorkflowRequest;
import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.CompleteTaskRequest;
import io.flowraft.contracts.DefinitionView;
import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.FailTaskRequest;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.HeartbeatResponse;
import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.Problem;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.ReportBatchRequest;
import io.flowraft.contracts.ReportBatchResponse;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.SubmitWorkflowBatchRequest;
import io.flowraft.contracts.SubmitWorkflowBatchResponse;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskReport;
import io.flowraft.contracts.TransferLeaderRequest;
import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowEndsRequest;
import io.flowraft.contracts.WorkflowEndsResponse;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A typed client of one coordinator's REST API (any coordinator: followers forward writes). Blocking, thread
 * safe, built on the JDK's HTTP client. Problems come back as {@link FlowRaftProblemException}; transport
 * failures as {@link UncheckedIOException}.
 */
public final class FlowRaftClient {

    private static final JsonMapper JSON = FlowRaftJson.mapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String authorization;

    private volatile Boolean answeredAsLeader;

    public FlowRaftClient(URI base) {
        this(base, Duration.ofSeconds(30));
    }

    public FlowRaftClient(URI base, Duration timeout) {
        this(base, timeout, ClientCredentials.none());
    }

    /**
     * A client that sends {@code credentials}' bearer token with every request (but the readiness probe, which
     * needs none) and trusts the certificate authorities they name for {@code https} URIs.
     */
    public FlowRaftClient(URI base, Duration timeout, ClientCredentials credentials) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.timeout = timeout;
        this.authorization = credentials.bearerToken() == null ? null : "Bearer " + credentials.bearerToken();
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (credentials.sslContext() != null) {
            builder.sslContext(credentials.sslContext());
        }
        this.http = builder.build();
    }

    /**
     * What this coordinator's last answer said of its role ({@link FlowRaftHttp#ROLE}): {@code true} if it led,
     * {@code false} if it would forward writes, {@code null} before any answer carried the header.
     */
    public Boolean answeredAsLeader() {
        return answeredAsLeader;
    }

    /**
     * Forgets what the last answer said of this coordinator's role ({@link #answeredAsLeader()} is {@code null}
     * until the next answer): for callers that stopped talking to it for a while, during which it may have been
     * elected or deposed.
     */
    public void forgetRole() {
        answeredAsLeader = null;
    }

    public URI baseUri() {
        return base;
    }

    /**
     * Whether the process at this base URI answers its readiness probe ({@code /actuator/health/readiness})
     * with 200. Coordinators are ready once they know a leader and have caught up; workers once started.
     * Never throws: an unreachable process is simply not ready.
     */
    public boolean isReady() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public DefinitionView registerDefinition(RegisterDefinitionRequest request) {
        return send(post("/definitions", request), DefinitionView.class);
    }

    public DefinitionView getDefinition(String name, Integer version) {
        return send(get("/definitions/" + encode(name) + (version == null ? "" : "?version=" + version)), DefinitionView.class);
    }

    public WorkflowView submitWorkflow(SubmitWorkflowRequest request) {
        return send(post("/workflows", request), WorkflowView.class);
    }

    public WorkflowView submitWorkflow(SubmitWorkflowRequest request, String idempotencyKey) {
        HttpRequest.Builder builder = post("/workflows", request);
        if (idempotencyKey != null) {
            builder.header(FlowRaftHttp.IDEMPOTENCY_KEY, idempotencyKey);
        }
        return send(builder, WorkflowView.class);
    }

    /** Many submits in one request; each has its own result (see {@link SubmitWorkflowBatchResponse}). */
    public SubmitWorkflowBatchResponse submitWorkflows(List<SubmitWorkflowRequest> workflows) {
        return send(post("/workflows/batch", new SubmitWorkflowBatchRequest(workflows)), SubmitWorkflowBatchResponse.class);
    }

    /**
     * Waits up to {@code wait} (at most 60 s) for any of the workflows to end; answers those that ended and the ids
     * of none (see {@link WorkflowEndsResponse}). The HTTP timeout is stretched by the wait.
     */
    public WorkflowEndsResponse awaitEnds(List<String> workflowIds, Duration wait) {
        return send(post("/workflows/ends", new WorkflowEndsRequest(workflowIds, wait.toMillis()))
                .timeout(timeout.plus(wait)), WorkflowEndsResponse.class);
    }

    public WorkflowView getWorkflow(String id) {
        return send(get("/workflows/" + encode(id)), WorkflowView.class);
    }

    /** Reads the answering coordinator's local state: cheap, possibly behind the leader. */
    public WorkflowView getWorkflowStale(String id) {
        return send(get("/workflows/" + encode(id) + "?" + FlowRaftHttp.CONSISTENCY + "=" + FlowRaftHttp.CONSISTENCY_STALE),
                WorkflowView.class);
    }

    /**
     * Reads the workflow, first waiting up to {@code wait} (at most 60 s) for it to end if it is RUNNING. Answers
     * the view as it stands when it ended or the wait passed: check {@link WorkflowView#status()}. The HTTP
     * timeout is stretched by the wait.
     */
    public WorkflowView awaitWorkflow(String id, Duration wait) {
        return send(get("/workflows/" + encode(id) + "?" + FlowRaftHttp.WAIT_MS + "=" + wait.toMillis())
                .timeout(timeout.plus(wait)), WorkflowView.class);
    }

    public WorkflowPage listWorkflows(WorkflowStatus status, String definition, Integer limit, String cursor) {
        return listWorkflows(new WorkflowListQuery(status, definition, null, null, null, limit, cursor));
    }

    public WorkflowPage listWorkflows(WorkflowListQuery filter) {
        return send(get("/workflows" + listQuery(filter, false)), WorkflowPage.class);
    }

    /**
     * {@code GET /api/v1/workflows?stuck=true}: RUNNING workflows that make no progress, each with its
     * {@link io.flowraft.contracts.WorkflowSummary#stuckReasons()}, paged like {@link #listWorkflows}. Only the live
     * state is examined (a finished workflow is never stuck); the other filters apply as in the plain list.
     */
    public WorkflowPage listStuckWorkflows(WorkflowListQuery filter) {
        return send(get("/workflows" + listQuery(filter, true)), WorkflowPage.class);
    }

    private static String listQuery(WorkflowListQuery filter, boolean stuck) {
        List<String> query = new ArrayList<>();
        if (stuck) {
            query.add("stuck=true");
        }
        if (filter.status() != null) {
            query.add("status=" + filter.status().name());
        }
        if (filter.definition() != null) {
            query.add("definition=" + encode(filter.definition()));
        }
        if (filter.createdFrom() != null) {
            query.add("createdFrom=" + encode(filter.createdFrom().toString()));
        }
        if (filter.createdTo() != null) {
            query.add("createdTo=" + encode(filter.createdTo().toString()));
        }
        if (filter.idempotencyKey() != null) {
            query.add("idempotencyKey=" + encode(filter.idempotencyKey()));
        }
        if (filter.limit() != null) {
            query.add("limit=" + filter.limit());
        }
        if (filter.cursor() != null) {
            query.add("cursor=" + encode(filter.cursor()));
        }
        return query.isEmpty() ? "" : "?" + String.join("&", query);
    }

    public WorkflowHistory history(String workflowId) {
        return send(get("/workflows/" + encode(workflowId) + "/history"), WorkflowHistory.class);
    }

    public WorkflowView cancel(String workflowId, String reason) {
        return send(post("/workflows/" + encode(workflowId) + "/cancel", new CancelWorkflowRequest(reason)), WorkflowView.class);
    }

    /** Long-polls for leases; the HTTP timeout is stretched by the request's wait. */
    public List<Lease> poll(PollRequest request) {
        long waitMs = request.waitMs() == null ? 0 : request.waitMs();
        HttpRequest.Builder builder = post("/tasks/poll", request).timeout(timeout.plusMillis(waitMs));
        JsonNode body = send(builder, JsonNode.class);
        JsonNode leases = body.isArray() ? body : body.get("leases");
        List<Lease> result = new ArrayList<>();
        if (leases != null) {
            for (JsonNode lease : leases) {
                result.add(JSON.treeToValue(lease, Lease.class));
            }
        }
        return result;
    }

    public HeartbeatResponse heartbeat(String leaseId) {
        return send(post("/leases/" + encode(leaseId) + "/heartbeat", null), HeartbeatResponse.class);
    }

    /** Several reports in one request; each has its own result (see {@link ReportBatchResponse}). */
    public ReportBatchResponse report(List<TaskReport> reports) {
        return report(new ReportBatchRequest(reports));
    }

    /** Reports, and with {@link ReportBatchRequest#next()} the next leases, in one exchange. */
    public ReportBatchResponse report(ReportBatchRequest request) {
        return send(post("/reports", request), ReportBatchResponse.class);
    }

    public ReportResponse complete(String leaseId, JsonNode output) {
        return send(post("/leases/" + encode(leaseId) + "/complete", new CompleteTaskRequest(output)), ReportResponse.class);
    }

    public ReportResponse fail(String leaseId, String error, boolean retryable) {
        return send(post("/leases/" + encode(leaseId) + "/fail", new FailTaskRequest(error, retryable)), ReportResponse.class);
    }

    public ClusterView cluster() {
        return send(get("/cluster"), ClusterView.class);
    }

    public ClusterView clusterStale() {
        return send(get("/cluster?" + FlowRaftHttp.CONSISTENCY + "=" + FlowRaftHttp.CONSISTENCY_STALE), ClusterView.class);
    }

    /** Adds a voter (admin); answers the cluster once the change committed. Adding a member again does nothing. */
    public ClusterView addPeer(String peer) {
        return send(post("/cluster/peers", new AddPeerRequest(peer)), ClusterView.class);
    }

    /** Removes a voter (admin); answers the cluster once the change committed. */
    public ClusterView removePeer(String peer) {
        return send(request("/cluster/peers/" + encode(peer)).DELETE(), ClusterView.class);
    }

    /** Starts handing leadership to {@code peer} (null: the most caught-up follower); the view may still show the old leader. */
    public ClusterView transferLeader(String peer) {
        return send(post("/cluster/leader", new TransferLeaderRequest(peer)), ClusterView.class);
    }

    /** The engine limits the cluster runs with, and what its state holds. */
    public EngineSettings engineSettings() {
        return send(get("/cluster/engine-settings"), EngineSettings.class);
    }

    /** Changes the limits {@code change} names (admin); the others keep their value. Answers the limits in force. */
    public EngineSettings updateEngineSettings(EngineSettings change) {
        byte[] bytes = JSON.writeValueAsBytes(change);
        return send(request("/cluster/engine-settings").header("Content-Type", FlowRaftHttp.JSON)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), EngineSettings.class);
    }

    /** Takes a Raft snapshot on this coordinator now (admin), and answers once it is saved. */
    public SnapshotView snapshot() {
        return send(post("/cluster/snapshot", null), SnapshotView.class);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + FlowRaftHttp.API_V1 + path)).timeout(timeout)
                .header("Accept", FlowRaftHttp.JSON + ", " + FlowRaftHttp.PROBLEM_JSON);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder post(String path, Object body) {
        byte[] bytes = body == null ? "{}".getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        return request(path).header("Content-Type", FlowRaftHttp.JSON).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    private <T> T send(HttpRequest.Builder builder, Class<T> type) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("Interrupted", e));
        }
        response.headers().firstValue(FlowRaftHttp.ROLE)
                .ifPresent(role -> answeredAsLeader = FlowRaftHttp.ROLE_LEADER.equals(role));
        if (response.statusCode() >= 400) {
            throw new FlowRaftProblemException(response.statusCode(), problem(response.body()));
        }
        if (response.body().length == 0) {
            return null;
        }
        return JSON.readValue(response.body(), type);
    }

    private static Problem problem(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readValue(body, Problem.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
