package io.flowraft.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * On a real secure three-node cluster: a lease is bound to the principal that polled it (worker-a), another
 * worker principal (worker-b) can neither report nor heartbeat it, even through a follower that forwards to the
 * leader; views and history show lease ids to admins only; and a task type with a dispatch rate limit is leased
 * at its pace, judged by the committed stamps of the leases.
 */
class LeaseOwnershipAndRateLimitClusterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SecureClusterFixture fixture;
    private static URI leader;
    private static URI follower;

    @BeforeAll
    static void cluster() {
        fixture = new SecureClusterFixture(3);
        int leaderIndex = fixture.cluster.awaitLeader(Duration.ofSeconds(20));
        leader = fixture.cluster.baseUri(leaderIndex);
        follower = fixture.cluster.baseUri((leaderIndex + 1) % 3);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldRefuseAnotherWorkersReportsAndHeartbeatsAndKeepTheTaskLeasedByItsOwner() {
        // given worker-a holds the lease of a task
        String workflowId = submit("owned", "owned-task", 1);
        JsonNode lease = awaitLeases(leader, fixture.workerKey, "worker-a-1", "owned-task", 1).getFirst();
        String leaseId = lease.get("leaseId").asString();
        String leasePath = "/api/v1/leases/" + leaseId;

        // when worker-b heartbeats, completes, fails and batch-reports it, through a follower
        List<Response> refused = List.of(
                send(follower, "POST", leasePath + "/heartbeat", null, fixture.otherWorkerKey),
                send(follower, "POST", leasePath + "/complete", "{\"output\": {\"forged\": true}}", fixture.otherWorkerKey),
                send(leader, "POST", leasePath + "/fail", "{\"error\": \"sabotage\", \"retryable\": false}",
                        fixture.otherWorkerKey));
        Response batch = send(follower, "POST", "/api/v1/reports", "{\"reports\": [{\"leaseId\": \"" + leaseId
                + "\", \"outcome\": \"COMPLETED\", \"output\": 1}]}", fixture.otherWorkerKey);

        // then each is 403 lease-not-owned, and nothing changed
        for (Response response : refused) {
            assertThat(response.status).as(response.body).isEqualTo(403);
            assertThat(response.json().get("type").asString()).isEqualTo(ProblemType.LEASE_NOT_OWNED.uri().toString());
            assertThat(response.contentType).startsWith("application/problem+json");
        }
        assertThat(batch.status).as(batch.body).isEqualTo(200);
        JsonNode result = batch.json().get("results").get(0);
        assertThat(result.get("status").asInt()).isEqualTo(403);
        assertThat(result.get("problem").get("type").asString()).isEqualTo(ProblemType.LEASE_NOT_OWNED.uri().toString());
        JsonNode task = workflow(workflowId, fixture.adminKey).get("tasks").get(0);
        assertThat(task.get("status").asString()).isEqualTo("LEASED");
        assertThat(task.get("leaseId").asString()).isEqualTo(leaseId);
        assertThat(task.get("workerId").asString()).isEqualTo("worker-a-1");
        assertThat(history(workflowId, fixture.adminKey)).extracting(h -> h.get("kind").asString())
                .doesNotContain("TaskCompleted", "TaskFailed");

        // and worker-a's own completion, through the follower, goes through
        Response completed = send(follower, "POST", leasePath + "/complete", "{\"output\": {\"ok\": true}}",
                fixture.workerKey);
        assertThat(completed.status).as(completed.body).isEqualTo(200);
        assertThat(workflow(workflowId, fixture.adminKey).get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void shouldShowLeaseIdsToAdminsOnly() {
        // given a leased task
        String workflowId = submit("hidden", "hidden-task", 1);
        String leaseId = awaitLeases(leader, fixture.workerKey, "worker-a-2", "hidden-task", 1).getFirst()
                .get("leaseId").asString();

        // then the client's and the reader's views and histories have no lease id; the admin's have it
        for (String key : List.of(fixture.clientKey, fixture.readerKey)) {
            JsonNode task = workflow(workflowId, key).get("tasks").get(0);
            assertThat(task.get("status").asString()).isEqualTo("LEASED");
            assertThat(task.has("leaseId")).as(task.toString()).isFalse();
            assertThat(task.get("workerId").asString()).isEqualTo("worker-a-2");
            assertThat(history(workflowId, key)).allSatisfy(line -> assertThat(line.has("leaseId")).isFalse());
            assertThat(send(follower, "GET", "/api/v1/workflows/" + workflowId + "?consistency=stale", null, key).body)
                    .doesNotContain(leaseId);
        }
        assertThat(workflow(workflowId, fixture.adminKey).get("tasks").get(0).get("leaseId").asString()).isEqualTo(leaseId);
        assertThat(history(workflowId, fixture.adminKey)).anySatisfy(
                line -> assertThat(line.path("leaseId").asString()).isEqualTo(leaseId));
        // the owner finishes it
        assertThat(send(leader, "POST", "/api/v1/leases/" + leaseId + "/complete", "{}", fixture.workerKey).status)
                .isEqualTo(200);
    }

    @Test
    void shouldSetListAndRemoveATaskTypesRateLimitAndRefuseBadOnes() {
        Response set = send(follower, "PUT", "/api/v1/task-types/settings-task", "{\"rateLimit\": {\"perSecond\": 0.5}}",
                fixture.adminKey);
        assertThat(set.status).as(set.body).isEqualTo(200);
        assertThat(set.json().get("rateLimit").get("perSecond").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(set.body).contains("\"perSecond\":0.5");
        Response listed = send(follower, "GET", "/api/v1/task-types", null, fixture.readerKey);
        assertThat(listed.status).isEqualTo(200);
        assertThat(listed.json().get("taskTypes")).anySatisfy(t -> assertThat(t.get("type").asString())
                .isEqualTo("settings-task"));
        assertThat(send(leader, "GET", "/api/v1/task-types/settings-task", null, fixture.clientKey).body)
                .contains("\"perSecond\":0.5");

        for (String bad : List.of("0", "-1", "0.0001", "1000001", "\"5\"", "1e400")) {
            Response refused = send(leader, "PUT", "/api/v1/task-types/settings-task",
                    "{\"rateLimit\": {\"perSecond\": " + bad + "}}", fixture.adminKey);
            assertThat(refused.status).as(bad + ": " + refused.body).isEqualTo(400);
            assertThat(refused.json().get("field").asString()).isEqualTo("rateLimit.perSecond");
            assertThat(refused.json().get("detail").asString()).contains("0.001", "1000000");
        }
        assertThat(send(leader, "PUT", "/api/v1/task-types/settings-task", "{}", fixture.adminKey).json()
                .get("field").asString()).isEqualTo("rateLimit");
        assertThat(send(leader, "PUT", "/api/v1/task-types/settings-task", "{\"rateLimit\": {\"perSecond\": 2}}",
                fixture.clientKey).status).isEqualTo(403);

        Response removed = send(leader, "PUT", "/api/v1/task-types/settings-task", "{\"rateLimit\": null}",
                fixture.adminKey);
        assertThat(removed.status).as(removed.body).isEqualTo(200);
        assertThat(removed.json().has("rateLimit")).isFalse();
        assertThat(send(leader, "GET", "/api/v1/task-types", null, fixture.adminKey).json().get("taskTypes"))
                .noneSatisfy(t -> assertThat(t.get("type").asString()).isEqualTo("settings-task"));
    }

    @Test
    void shouldDispatchARateLimitedTypeAtItsPaceByCommittedStamps() {
        // given 2 leases a second on a type, and 8 READY tasks of it
        Response set = send(leader, "PUT", "/api/v1/task-types/paced-task", "{\"rateLimit\": {\"perSecond\": 2}}",
                fixture.adminKey);
        assertThat(set.status).as(set.body).isEqualTo(200);
        String workflowId = submit("paced", "paced-task", 8);

        // when a worker long-polls for up to 10 at a time until it holds all 8
        List<JsonNode> leases = awaitLeases(follower, fixture.workerKey, "worker-a-3", "paced-task", 8);

        // then the committed lease stamps never beat the bucket: at most 2 + 2/s in any stretch of time
        List<Long> leasedAt = new ArrayList<>();
        for (JsonNode line : history(workflowId, fixture.adminKey)) {
            if (line.get("kind").asString().equals("LeaseGranted")) {
                leasedAt.add(Instant.parse(line.get("at").asString()).toEpochMilli());
            }
        }
        assertThat(leases).hasSize(8);
        assertThat(leasedAt).hasSize(8).isSorted();
        for (int i = 0; i < leasedAt.size(); i++) {
            for (int j = i; j < leasedAt.size(); j++) {
                long count = j - i + 1;
                assertThat((count - 2) * 500).as("leases %d..%d at %s", i, j, leasedAt)
                        .isLessThanOrEqualTo(leasedAt.get(j) - leasedAt.get(i));
            }
        }
        // and the waiting polls were woken as tokens came back rather than at the end of their waits
        assertThat(leasedAt.getLast() - leasedAt.getFirst()).as("%s", leasedAt).isBetween(3_000L, 7_000L);
    }

    // ---- helpers ----

    /** Registers a definition of {@code tasks} independent tasks of {@code type}, and submits it as the client. */
    private static String submit(String name, String type, int tasks) {
        StringBuilder specs = new StringBuilder();
        for (int i = 0; i < tasks; i++) {
            specs.append(i == 0 ? "" : ",").append("{\"id\": \"t").append(i).append("\", \"type\": \"").append(type)
                    .append("\"}");
        }
        Response registered = send(leader, "POST", "/api/v1/definitions",
                "{\"name\": \"" + name + "\", \"tasks\": [" + specs + "]}", fixture.clientKey);
        assertThat(registered.status).as(registered.body).isIn(200, 201);
        Response submitted = send(leader, "POST", "/api/v1/workflows", "{\"definition\": \"" + name + "\", \"input\": {}}",
                fixture.clientKey);
        assertThat(submitted.status).as(submitted.body).isEqualTo(201);
        return submitted.json().get("id").asString();
    }

    /** Long-polls as {@code key} until {@code count} leases of {@code type} were granted. */
    private static List<JsonNode> awaitLeases(URI node, String key, String workerId, String type, int count) {
        List<JsonNode> leases = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
            Response polled = send(node, "POST", "/api/v1/tasks/poll", "{\"workerId\": \"" + workerId
                    + "\", \"taskTypes\": [\"" + type + "\"], \"maxTasks\": 10, \"waitMs\": 5000}", key);
            assertThat(polled.status).as(polled.body).isEqualTo(200);
            polled.json().forEach(leases::add);
            return leases.size() >= count;
        });
        return leases;
    }

    private static JsonNode workflow(String workflowId, String key) {
        Response response = send(leader, "GET", "/api/v1/workflows/" + workflowId, null, key);
        assertThat(response.status).as(response.body).isEqualTo(200);
        return response.json();
    }

    private static List<JsonNode> history(String workflowId, String key) {
        Response response = send(leader, "GET", "/api/v1/workflows/" + workflowId + "/history", null, key);
        assertThat(response.status).as(response.body).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        response.json().get("entries").forEach(lines::add);
        return lines;
    }

    private record Response(int status, String contentType, String body) {

        JsonNode json() {
            return FlowRaftJson.mapper().readTree(body);
        }
    }

    private static Response send(URI to, String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
