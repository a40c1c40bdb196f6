package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ConcurrencyLimit;
import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.StuckReason;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.WorkflowListQuery;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/workflows?stuck=true} on a real three-node cluster, one reason per test, each made to happen
 * the way it happens in production: a type nobody polls, a concurrency key at its maximum, a rate limit with no
 * lease left, leases that expire twice, a retry waiting out its backoff. The thresholds are small
 * ({@code no-poll-after} 2 s) so that the conditions arrive in seconds; each test uses task types of its own.
 * Followers answer as the leader does: the poll times come from the committed polls every node applies.
 */
class StuckWorkflowsClusterTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static InProcessCluster cluster;
    private static int leader;
    private static FlowRaftClient viaLeader;
    private static FlowRaftClient viaFollower;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(3, "--flowraft.stuck.no-poll-after=2s", "--flowraft.stuck.gauge-interval=0s")
                .startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(20));
        viaLeader = cluster.client(leader);
        viaFollower = cluster.client((leader + 1) % 3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldListAReadyTaskOfATypeNobodyPollsAsNoWorkerPollingOnEveryCoordinator() {
        // given a workflow whose one task is of a type no worker polls
        String type = name("nobody");
        String workflowId = submit(task("lonely", type, null, null));

        // then, once the threshold has passed, leader and follower list it with that reason
        for (FlowRaftClient client : List.of(viaFollower, viaLeader)) {
            StuckReason reason = awaitReason(client, workflowId, "no-worker-polling");
            assertThat(reason.taskId()).isEqualTo("lonely");
            assertThat(reason.taskType()).isEqualTo(type);
            assertThat(reason.detail()).contains("'" + type + "'");
        }
        assertThat(summary(viaLeader, workflowId).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void shouldTellFromItsLastPollForHowLongATypeWasNotPolled() {
        // given a type polled once (nothing to lease then), and later a task of it
        String type = name("abandoned");
        assertThat(viaFollower.poll(new PollRequest("w-" + type, List.of(type), 1, 0L, 30_000L, null, null))).isEmpty();
        String workflowId = submit(task("orphan", type, null, null));

        // then it is no-worker-polling, measured from that poll
        StuckReason reason = awaitReason(viaLeader, workflowId, "no-worker-polling");
        assertThat(reason.detail()).contains("last poll at");
    }

    @Test
    void shouldNotListARunningWorkflowWhoseTaskAWorkerHolds() {
        // given a workflow whose task a worker leased (and is running), and one of a type nobody polls
        String type = name("healthy");
        String healthy = submit(task("work", type, null, null));
        assertThat(awaitLeases(type, 1, 60_000)).hasSize(1);
        String unpolled = submit(task("idle", name("unpolled"), null, null));

        // when the threshold has passed for sure: the other workflow is listed
        awaitReason(viaLeader, unpolled, "no-worker-polling");

        // then the held one is not listed, though it is RUNNING
        assertThat(summary(viaLeader, healthy)).isEmpty();
        assertThat(viaLeader.getWorkflow(healthy).status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void shouldListATaskHeldByAConcurrencyKeyAtItsMaximum() {
        // given two workflows whose tasks share a concurrency key of max 1, and a worker holding the first
        String type = name("conc");
        ConcurrencyLimit limit = new ConcurrencyLimit(name("key"), 1);
        String first = submit(task("charge", type, null, limit));
        String second = submit(task("charge", type, null, limit));
        List<Lease> leases = awaitLeases(type, 2, 60_000);
        assertThat(leases).hasSize(1);
        String held = leases.getFirst().workflowId();
        String waiting = held.equals(first) ? second : first;

        // then the other one is held by the key, and the one leased is not listed
        StuckReason reason = awaitReason(viaFollower, waiting, "concurrency-limit");
        assertThat(reason.taskId()).isEqualTo("charge");
        assertThat(reason.detail()).contains(limit.key()).contains("maximum is 1");
        assertThat(summary(viaFollower, held)).isEmpty();
    }

    @Test
    void shouldListATaskHeldByItsTypesRateLimit() {
        // given a type allowed one lease per 1000 s, and two workflows of it after one lease
        String type = name("rate");
        var put = RawHttp.send(HttpRequest.newBuilder(cluster.baseUri(leader).resolve("/api/v1/task-types/" + type))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rateLimit\": {\"perSecond\": 0.001}}")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        String first = submit(task("call", type, null, null));
        String second = submit(task("call", type, null, null));
        List<Lease> leases = awaitLeases(type, 2, 60_000);
        assertThat(leases).hasSize(1);
        String waiting = leases.getFirst().workflowId().equals(first) ? second : first;

        // then the other one is held by the rate limit
        StuckReason reason = awaitReason(viaLeader, waiting, "rate-limit");
        assertThat(reason.detail()).contains("0.001 leases per second");
    }

    @Test
    void shouldListATaskWhoseLeasesExpiredTwiceInARow() {
        // given a task with attempts to spare, leased for one second twice and never reported
        String type = name("expire");
        String workflowId = submit(task("flaky", type, new RetryPolicy(5, 100L, 1.0, 100L), null));
        for (int expiries = 1; expiries <= 2; expiries++) {
            assertThat(awaitLeases(type, 1, 1_000)).hasSize(1);
            int expected = expiries;
            patiently().until(() -> viaLeader.history(workflowId).entries().stream()
                    .filter(e -> e.kind().equals("LeaseExpired")).count() == expected);
        }

        // then it is lease-expiring-repeatedly
        StuckReason reason = awaitReason(viaFollower, workflowId, "lease-expiring-repeatedly");
        assertThat(reason.taskId()).isEqualTo("flaky");
        assertThat(reason.detail()).contains("last 2 leases expired");
    }

    @Test
    void shouldListATaskWaitingForItsRetryBackoffUntilTheWorkflowIsCancelled() {
        // given a task whose first attempt failed, with ten minutes of backoff before the next
        String type = name("retry");
        String workflowId = submit(task("pay", type, new RetryPolicy(3, 600_000L, 1.0, 600_000L), null));
        Lease lease = awaitLeases(type, 1, 60_000).getFirst();
        viaLeader.fail(lease.leaseId(), "card declined", true);

        // then it is retry-waiting, with the error and the end of the backoff
        StuckReason reason = awaitReason(viaLeader, workflowId, "retry-waiting");
        assertThat(reason.detail()).contains("card declined").contains("waits until");

        // and the leader's gauge counts it, other coordinators report 0
        patiently().until(() -> gauge(leader, "retry-waiting") >= 1);
        assertThat(gauge((leader + 1) % 3, "retry-waiting")).isZero();

        // and a finished workflow is never stuck
        viaLeader.cancel(workflowId, "test over");
        assertThat(summary(viaLeader, workflowId)).isEmpty();
    }

    @Test
    void shouldPageStuckWorkflowsWithTheFiltersOfTheList() {
        // given two stuck workflows of one definition-less type
        String type = name("paged");
        String a = submit(task("t", type, null, null));
        String b = submit(task("t", type, null, null));
        awaitReason(viaLeader, a, "no-worker-polling");
        awaitReason(viaLeader, b, "no-worker-polling");

        // then pages of one list each once, and a COMPLETED filter lists none
        List<String> seen = new ArrayList<>();
        WorkflowListQuery query = new WorkflowListQuery(null, null, null, null, null, 1, null);
        WorkflowPage page;
        do {
            page = viaLeader.listStuckWorkflows(query);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(1);
            page.items().forEach(item -> seen.add(item.id()));
            query = query.after(page.nextCursor());
        } while (page.nextCursor() != null);
        assertThat(seen).contains(a, b).doesNotHaveDuplicates().isSorted();
        assertThat(viaLeader.listStuckWorkflows(new WorkflowListQuery(WorkflowStatus.COMPLETED, null, null, null, null,
                null, null)).items()).isEmpty();
        // the plain list shows no reasons
        assertThat(viaLeader.listWorkflows(WorkflowStatus.RUNNING, null, 500, null).items())
                .allSatisfy(item -> assertThat(item.stuckReasons()).isNull());
    }

    private static String name(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    private static TaskSpec task(String id, String type, RetryPolicy retry, ConcurrencyLimit concurrency) {
        return new TaskSpec(id, type, null, null, null, null, retry, null, concurrency);
    }

    private static String submit(TaskSpec task) {
        return viaLeader.submitWorkflow(new SubmitWorkflowRequest(null, List.of(task), null, null)).id();
    }

    /** Polls until a lease comes (a retry's backoff may hold it a moment), asking for up to {@code max}. */
    private static List<Lease> awaitLeases(String type, int max, long leaseMs) {
        List<Lease> got = new ArrayList<>();
        patiently().until(() -> {
            got.addAll(viaFollower.poll(new PollRequest("w-" + type, List.of(type), max, 1_000L, leaseMs, null, null)));
            return !got.isEmpty();
        });
        return got;
    }

    private static StuckReason awaitReason(FlowRaftClient client, String workflowId, String code) {
        StuckReason[] found = new StuckReason[1];
        patiently().until(() -> {
            found[0] = summary(client, workflowId).flatMap(s -> s.stuckReasons().stream()
                    .filter(r -> r.code().equals(code)).findFirst()).orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** The workflow's row in the stuck list, paging through it all. */
    private static Optional<WorkflowSummary> summary(FlowRaftClient client, String workflowId) {
        WorkflowListQuery query = WorkflowListQuery.all(500);
        while (true) {
            WorkflowPage page = client.listStuckWorkflows(query);
            for (WorkflowSummary item : page.items()) {
                if (item.id().equals(workflowId)) {
                    assertThat(item.stuckReasons()).isNotEmpty();
                    return Optional.of(item);
                }
            }
            if (page.nextCursor() == null) {
                return Optional.empty();
            }
            query = query.after(page.nextCursor());
        }
    }

    private static double gauge(int node, String reason) {
        String metrics = RawHttp.get(cluster.managementUri(node), "/actuator/prometheus").body();
        Matcher m = Pattern.compile("^flowraft_workflows_stuck\\{[^}]*reason=\"" + Pattern.quote(reason)
                + "\"[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static ConditionFactory patiently() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
