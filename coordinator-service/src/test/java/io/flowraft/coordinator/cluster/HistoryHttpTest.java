package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowEndsResponse;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.client.WorkflowListQuery;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.history.HistoryDatabase;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.LoopingWorker;
import io.flowraft.coordinator.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three coordinators in one JVM with history in a real PostgreSQL and a retention of a few seconds, driven over
 * HTTP: finished workflows leave the replicated state and go on answering, from PostgreSQL, exactly as they did
 * while live; the list pages across both without a duplicate or a gap while they move.
 */
class HistoryHttpTest {

    private static final Duration RETENTION = Duration.ofSeconds(4);
    private static InProcessCluster cluster;
    private static LoopingWorker worker;
    private static String schema;
    private static final AtomicInteger cursor = new AtomicInteger();

    @BeforeAll
    static void startCluster() {
        TestPostgres.Server postgres = TestPostgres.server();
        cluster = new InProcessCluster(3, "--flowraft.history.jdbc-url=" + postgres.jdbcUrl(),
                "--flowraft.history.username=" + postgres.username(), "--flowraft.history.password=" + postgres.password(),
                "--flowraft.retention.finished-after=" + RETENTION.toMillis() + "ms").startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        String clusterId = await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.client(0).engineSettings().clusterId(), id -> id != null);
        schema = HistoryDatabase.schemaFor(clusterId);
        any().registerDefinition(new RegisterDefinitionRequest("quick", null, List.of(task("work"))));
        // No worker polls "held": these stay RUNNING until cancelled.
        any().registerDefinition(new RegisterDefinitionRequest("held", null, List.of(task("held"))));
        worker = new LoopingWorker("history-test", "work", HistoryHttpTest::any);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (schema != null) {
            dropSchema(schema);
        }
    }

    private static TaskSpec task(String type) {
        return new TaskSpec("only", type, List.of(), null, null, null, null, 30_000L, null);
    }

    private static FlowRaftClient any() {
        return cluster.client(Math.floorMod(cursor.getAndIncrement(), cluster.size()));
    }

    private static WorkflowView submit(String definition, String key) {
        return any().submitWorkflow(new SubmitWorkflowRequest(definition, null,
                FlowRaftJson.mapper().createObjectNode().put("key", key), null), key);
    }

    /** The view without where it was read, to compare a live read with one from history. */
    private static WorkflowView withoutSource(WorkflowView view) {
        return new WorkflowView(view.id(), view.definition(), view.status(), view.input(), view.tasks(),
                view.createdAt(), view.finishedAt(), null);
    }

    @Test
    void shouldAnswerAnEvictedWorkflowFromHistoryAsItAnsweredWhileLive() throws Exception {
        // given finished workflows read while still live: completed ones, and cancelled ones
        Map<String, WorkflowView> live = new LinkedHashMap<>();
        Map<String, List<HistoryEntry>> liveHistory = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            WorkflowView view = i % 4 == 3
                    ? any().cancel(submit("held", "reads-" + i).id(), "not needed")
                    : any().awaitWorkflow(submit("quick", "reads-" + i).id(), Duration.ofSeconds(30));
            assertThat(view.status()).isIn(WorkflowStatus.COMPLETED, WorkflowStatus.CANCELLED);
            assertThat(view.source()).isEqualTo(WorkflowView.LIVE);
            live.put(view.id(), view);
            liveHistory.put(view.id(), any().history(view.id()).entries());
        }
        // when retention has evicted them from the replicated state
        for (String id : live.keySet()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> any().getWorkflow(id).source(), WorkflowView.HISTORY::equals);
        }
        // then every node answers each one from history as it answered while live, history lines included
        for (int node = 0; node < cluster.size(); node++) {
            for (Map.Entry<String, WorkflowView> expected : live.entrySet()) {
                WorkflowView read = cluster.client(node).getWorkflow(expected.getKey());
                assertThat(read.source()).isEqualTo(WorkflowView.HISTORY);
                assertThat(withoutSource(read)).isEqualTo(withoutSource(expected.getValue()));
                assertThat(cluster.client(node).history(expected.getKey()).entries())
                        .isEqualTo(liveHistory.get(expected.getKey()));
            }
        }
        // and a stale read and a wait for the end answer from history too
        String completed = live.values().stream().filter(v -> v.status() == WorkflowStatus.COMPLETED).findFirst()
                .orElseThrow().id();
        assertThat(any().getWorkflowStale(completed).source()).isEqualTo(WorkflowView.HISTORY);
        assertThat(any().awaitWorkflow(completed, Duration.ofSeconds(5)).status()).isEqualTo(WorkflowStatus.COMPLETED);
        // and a wait for many ends answers every evicted one from history (one lookup), an id of none as unknown
        List<String> asked = new ArrayList<>(live.keySet());
        asked.add(3, "no-such-workflow");
        WorkflowEndsResponse ends = any().awaitEnds(asked, Duration.ofSeconds(5));
        assertThat(ends.ended()).extracting(WorkflowEndsResponse.Ended::id).containsExactlyElementsOf(live.keySet());
        assertThat(ends.ended()).allSatisfy(end -> {
            assertThat(end.status()).isEqualTo(live.get(end.id()).status());
            assertThat(end.finishedAt()).isEqualTo(live.get(end.id()).finishedAt());
        });
        assertThat(ends.notFound()).containsExactly("no-such-workflow");
        // and the repeat of a submit answers the same workflow, from history
        WorkflowView repeat = submit("quick", "reads-0");
        assertThat(repeat.id()).isEqualTo(live.keySet().iterator().next());
        assertThat(repeat.source()).isEqualTo(WorkflowView.HISTORY);
        // and cancelling answers as it did while live: 409 for a completed one, 200 again for a cancelled one
        assertThatThrownBy(() -> any().cancel(completed, "too late"))
                .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.problem().type().toString()).endsWith("/workflow-finished");
                });
        String cancelled = live.values().stream().filter(v -> v.status() == WorkflowStatus.CANCELLED).findFirst()
                .orElseThrow().id();
        assertThat(withoutSource(any().cancel(cancelled, "again"))).isEqualTo(withoutSource(live.get(cancelled)));
        // and a workflow in neither is still unknown
        assertThatThrownBy(() -> any().getWorkflow("no-such-workflow"))
                .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> any().history("no-such-workflow"))
                .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> assertThat(e.status()).isEqualTo(404));

        // and the list filters find them in history: by status, definition, idempotency key and creation time
        Set<String> ids = live.keySet();
        assertThat(listAll(new WorkflowListQuery(WorkflowStatus.CANCELLED, null, null, null, null, 5, null), ids))
                .containsExactlyInAnyOrderElementsOf(idsOf(live.values(), WorkflowStatus.CANCELLED));
        assertThat(listAll(new WorkflowListQuery(null, "quick@1", null, null, null, 5, null), ids))
                .containsExactlyInAnyOrderElementsOf(idsOf(live.values(), WorkflowStatus.COMPLETED));
        assertThat(listAll(new WorkflowListQuery(null, null, null, null, "reads-5", 5, null), ids))
                .containsExactly(new ArrayList<>(ids).get(5));
        List<WorkflowView> byCreation = live.values().stream()
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
        Instant from = byCreation.get(3).createdAt();
        Instant to = byCreation.get(8).createdAt();
        assertThat(listAll(new WorkflowListQuery(null, null, from, to, null, 5, null), ids))
                .containsExactlyInAnyOrderElementsOf(byCreation.stream()
                        .filter(v -> !v.createdAt().isBefore(from) && v.createdAt().isBefore(to))
                        .map(WorkflowView::id).toList());
    }

    @Test
    void shouldListEveryWorkflowExactlyOnceWhilePagingAcrossEvictions() throws Exception {
        // given workflows finishing, and being evicted, all the while
        ExecutorService clients = Executors.newFixedThreadPool(3);
        Set<String> submitted = ConcurrentHashMap.newKeySet();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    submitted.add(submit("quick", "paging-" + client + "-" + i).id());
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        clients.shutdown();
        String last = submitted.stream().max(String::compareTo).orElseThrow();
        assertThat(any().getWorkflow(last).source()).as("a pass starts before the last one is evicted")
                .isEqualTo(WorkflowView.LIVE);
        // when the whole list is paged, small pages, again and again until every one of them has been evicted
        int passes = 0;
        boolean allEvicted = false;
        while (!allEvicted) {
            List<String> listed = new ArrayList<>();
            WorkflowListQuery query = new WorkflowListQuery(null, "quick", null, null, null, 7, null);
            while (query != null) {
                WorkflowPage page = any().listWorkflows(query);
                page.items().stream().map(WorkflowSummary::id).forEach(listed::add);
                query = page.nextCursor() == null ? null : query.after(page.nextCursor());
            }
            passes++;
            // then each pass lists each workflow exactly once
            assertThat(listed).as("pass %d", passes).doesNotHaveDuplicates().containsAll(submitted).isSorted();
            allEvicted = submitted.stream().allMatch(id -> WorkflowView.HISTORY.equals(any().getWorkflowStale(id).source()));
            assertThat(passes).as("passes before every workflow was evicted").isLessThan(200);
        }
        assertThat(passes).isGreaterThan(1);
    }

    private static List<String> idsOf(Collection<WorkflowView> views, WorkflowStatus status) {
        return views.stream().filter(v -> v.status() == status).map(WorkflowView::id).toList();
    }

    /** Every page of {@code query}, keeping the ids among {@code among}. */
    private static List<String> listAll(WorkflowListQuery query, Set<String> among) {
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        WorkflowListQuery next = query;
        while (next != null) {
            WorkflowPage page = any().listWorkflows(next);
            for (WorkflowSummary item : page.items()) {
                assertThat(seen.add(item.id())).as("listed once: %s", item.id()).isTrue();
                if (among.contains(item.id())) {
                    ids.add(item.id());
                }
            }
            next = page.nextCursor() == null ? null : next.after(page.nextCursor());
        }
        return ids;
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection connection = TestPostgres.server().connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
