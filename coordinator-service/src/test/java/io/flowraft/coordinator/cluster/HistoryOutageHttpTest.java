package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.RefusalReason;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.history.HistoryDatabase;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.LoopingWorker;
import io.flowraft.coordinator.testing.PausableTcpProxy;
import io.flowraft.coordinator.testing.TestPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL away for long, behind a paused proxy, under three coordinators in one JVM with a small state budget:
 * work goes on while the finished workflows it cannot let go of fill the state, then new work is refused with 429
 * {@code history-backlog} and {@code Retry-After} (never an out-of-memory error); once PostgreSQL is back, the
 * exporter catches up, retention makes room, new work is taken again and nothing is missing from history.
 */
class HistoryOutageHttpTest {

    private InProcessCluster cluster;
    private PausableTcpProxy proxy;
    private LoopingWorker worker;
    private String schema;
    private final AtomicInteger cursor = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            HistoryHttpTest.dropSchema(schema);
        }
    }

    private FlowRaftClient any() {
        return cluster.client(Math.floorMod(cursor.getAndIncrement(), cluster.size()));
    }

    @Test
    void shouldGoOnWorkingThenSayHistoryBacklogThenCatchUpWhenPostgresReturns() throws Exception {
        // given three coordinators whose PostgreSQL is behind a proxy, a retention of one second, a small budget
        TestPostgres.Server postgres = TestPostgres.server();
        URI target = URI.create(postgres.jdbcUrl().substring("jdbc:".length()));
        proxy = new PausableTcpProxy(target.getHost(), target.getPort());
        cluster = new InProcessCluster(3, "--flowraft.history.jdbc-url=jdbc:postgresql://127.0.0.1:" + proxy.port()
                + target.getRawPath(), "--flowraft.history.username=" + postgres.username(),
                "--flowraft.history.password=" + postgres.password(), "--flowraft.history.connect-timeout=500ms",
                "--flowraft.history.query-timeout=1s", "--flowraft.retention.finished-after=1s").startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        schema = HistoryDatabase.schemaFor(await().atMost(Duration.ofSeconds(10))
                .until(() -> any().engineSettings().clusterId(), id -> id != null));
        any().updateEngineSettings(new EngineSettings(null, 1024, null, null, null, null, 16_384L, 96L * 1024, null,
                null));
        any().registerDefinition(new RegisterDefinitionRequest("quick", null,
                List.of(new TaskSpec("only", "work", List.of(), null, null, null, null, 30_000L, null))));
        worker = new LoopingWorker("outage-test", "work", this::any);

        // when PostgreSQL goes away and workflows keep coming, each run to its end
        proxy.pause();
        List<String> finished = new CopyOnWriteArrayList<>();
        AtomicReference<FlowRaftProblemException> refused = new AtomicReference<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            running.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < 5_000 && refused.get() == null; i = next.getAndIncrement()) {
                    try {
                        WorkflowView view = any().submitWorkflow(new SubmitWorkflowRequest("quick", null,
                                FlowRaftJson.mapper().createObjectNode().put("n", i), null), "outage-" + i);
                        assertThat(any().awaitWorkflow(view.id(), Duration.ofSeconds(30)).status())
                                .isEqualTo(WorkflowStatus.COMPLETED);
                        finished.add(view.id());
                    } catch (FlowRaftProblemException e) {
                        refused.compareAndSet(null, e);
                    }
                }
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();
        // then work went on until the state was full of what history had not taken yet
        assertThat(finished).hasSizeGreaterThan(20);
        assertThat(refused.get()).isNotNull();
        assertThat(refused.get().status()).isEqualTo(429);
        assertThat(refused.get().type()).contains(ProblemType.HISTORY_BACKLOG);
        assertThat(refused.get().problem().knownReason()).contains(RefusalReason.HISTORY_BACKLOG);
        assertThat(refused.get().problem().retryAfterSeconds()).isPositive();
        // and every finished workflow still answers, from the state
        assertThat(any().getWorkflow(finished.getFirst()).source()).isEqualTo(WorkflowView.LIVE);

        // when PostgreSQL comes back
        proxy.resume();
        // then the export catches up, retention makes room, and new work is taken again
        WorkflowView after = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreException(FlowRaftProblemException.class)
                .until(() -> any().submitWorkflow(new SubmitWorkflowRequest("quick", null,
                        FlowRaftJson.mapper().createObjectNode().put("n", "after"), null), "outage-after"),
                        view -> view.id() != null);
        assertThat(any().awaitWorkflow(after.id(), Duration.ofSeconds(30)).status()).isEqualTo(WorkflowStatus.COMPLETED);
        // and every workflow of the outage is in history, evicted from the state
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> finished.stream().allMatch(id -> WorkflowView.HISTORY.equals(any().getWorkflowStale(id).source())));
        for (String id : finished) {
            WorkflowView view = any().getWorkflow(id);
            assertThat(view.source()).isEqualTo(WorkflowView.HISTORY);
            assertThat(view.status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(any().history(id).entries()).extracting(e -> e.kind()).containsExactly("WorkflowSubmitted",
                    "TaskReadied", "LeaseGranted", "TaskCompleted", "WorkflowCompleted");
        }
    }
}
