package io.flowraft.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.history.HistoryDatabase;
import io.flowraft.coordinator.testing.PausableTcpProxy;
import io.flowraft.coordinator.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three coordinator JVMs export their history to a real PostgreSQL, reached through a proxy the test can pause.
 * PostgreSQL goes away mid-run (work must go on, the export lag grows); then the leader is SIGKILLed right after its
 * exporter wrote a batch whose export position it could not commit (the followers were stopped), so the next leader
 * exports that range again. At the end PostgreSQL must hold every committed history line exactly once, in log order,
 * and each workflow as the replicated state has it.
 */
class HistoryExportIT {

    private static final Pattern LAG = Pattern.compile("^flowraft_history_export_lag_entries(\\{[^}]*})? ([0-9.E+-]+)$",
            Pattern.MULTILINE);

    private static final int LEADER = 0;
    private static final int LEADER_PATIENCE_MS = 12_000;
    private ProcessCluster cluster;
    private PausableTcpProxy proxy;
    private String schema;

    @AfterEach
    void tearDown() throws SQLException {
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            try (Connection connection = TestPostgres.server().connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void shouldExportEveryCommittedLineExactlyOnceThroughAnOutageAndALeaderKilledMidBatch() throws Exception {
        // given three coordinators whose history database is behind a proxy, and a load of clients and workers
        TestPostgres.Server postgres = TestPostgres.server();
        URI target = URI.create(postgres.jdbcUrl().substring("jdbc:".length()));
        proxy = new PausableTcpProxy(target.getHost(), target.getPort());
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath()
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        cluster = new ProcessCluster(3, 1000, List.of("--flowraft.history.jdbc-url=" + proxied,
                "--flowraft.history.username=" + postgres.username(), "--flowraft.history.password=" + postgres.password(),
                "--flowraft.history.connect-timeout=1s", "--flowraft.history.query-timeout=2s"));
        // The leader to be killed keeps leading for LEADER_PATIENCE_MS once its followers stop answering (a leader
        // steps down after its election timeout without a quorum): time for its exporter to write a batch.
        cluster.node(LEADER).electionTimeoutMs(LEADER_PATIENCE_MS);
        cluster.startAll(Duration.ofSeconds(90));
        cluster.transferLeaderTo(LEADER, Duration.ofSeconds(30));
        cluster.node(LEADER).client().registerDefinition(new RegisterDefinitionRequest("pipeline", null,
                MultiProcessFailoverIT.chain(3)));
        String clusterId = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> cluster.node(0).client().engineSettings().clusterId(), id -> id != null);
        schema = HistoryDatabase.schemaFor(clusterId);
        Workload workload = new Workload(3, i -> cluster.node(i).client());
        AtomicBoolean stopWorkers = new AtomicBoolean();
        AtomicBoolean stopClients = new AtomicBoolean();
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        List<Future<?>> clients = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            String workerId = "worker-" + w;
            workers.add(pool.submit(() -> workload.work(workerId, stopWorkers)));
        }
        for (int c = 0; c < 2; c++) {
            clients.add(pool.submit(() -> {
                while (!stopClients.get()) {
                    workload.submit("pipeline", "order-" + submitted.getAndIncrement());
                }
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> count("history") > 300);

            // when PostgreSQL stops answering: work goes on, and the leader's export lag grows
            proxy.pause();
            int completedBefore = tasksCompleted(workload);
            await().atMost(Duration.ofSeconds(60)).until(() -> tasksCompleted(workload) >= completedBefore + 30);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> exportLag(LEADER) > 100);
            assertThat(cluster.leader()).contains(LEADER);

            // and, while it is still away, the followers stop: nothing commits any more, export positions included
            List<Integer> followers = List.of(1, 2);
            followers.forEach(i -> cluster.node(i).pause());
            long linesBefore = count("history");
            // PostgreSQL comes back: the leader writes what it holds, and cannot commit that it did
            proxy.resume();
            await().atMost(Duration.ofMillis(LEADER_PATIENCE_MS)).until(() -> count("history") > linesBefore);
            // and the leader dies with that range written but its export position not moved
            cluster.node(LEADER).kill();
            followers.forEach(i -> cluster.node(i).resume());
            cluster.awaitLeader(Duration.ofSeconds(15));
            cluster.node(LEADER).start();
            int acknowledgedAfter = workload.acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> workload.acknowledged.size() >= acknowledgedAfter + 50);
            stopClients.set(true);
            for (Future<?> client : clients) {
                client.get();
            }
            // then every acknowledged workflow finishes
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(workload::allFinished);
        } finally {
            stopClients.set(true);
            stopWorkers.set(true);
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdownNow();
        }

        // and PostgreSQL holds every committed line of every workflow exactly once, in log order
        FlowRaftClient any = cluster.node(cluster.awaitLeader(Duration.ofSeconds(10))).client();
        Map<String, List<String>> committed = new HashMap<>();
        for (String id : workload.acknowledged) {
            committed.put(id, any.history(id).entries().stream().map(HistoryExportIT::line).toList());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(exportedLines()).isEqualTo(committed));
        // and each workflow's row as the state has it
        Map<String, String> statuses = exportedStatuses();
        assertThat(statuses).hasSize(workload.acknowledged.size());
        assertThat(statuses.values()).containsOnly(WorkflowStatus.COMPLETED.name());
        assertThat(count("tasks")).isGreaterThanOrEqualTo(3L * workload.acknowledged.size());
        assertThat(exportLag(cluster.awaitLeader(Duration.ofSeconds(10)))).isZero();
    }

    private static String line(HistoryEntry entry) {
        return entry.index() + " " + entry.kind() + " " + entry.taskId() + " " + (entry.attempt() == null ? 0 : entry.attempt());
    }

    private static int tasksCompleted(Workload workload) {
        return workload.completionsAccepted.size();
    }

    private long count(String table) throws SQLException {
        try (Connection connection = TestPostgres.server().connect(); Statement statement = connection.createStatement()) {
            ResultSet exists = statement.executeQuery("SELECT to_regclass('" + schema + "." + table + "') IS NOT NULL");
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
            ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + "." + table);
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Each workflow's exported lines in their order, as {@link #line} writes them. */
    private Map<String, List<String>> exportedLines() throws SQLException {
        Map<String, List<String>> lines = new HashMap<>();
        try (Connection connection = TestPostgres.server().connect(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery("SELECT workflow_id, log_index, kind, task_id, attempt FROM " + schema
                    + ".history ORDER BY workflow_id, seq");
            while (rows.next()) {
                lines.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(rows.getLong(2) + " "
                        + rows.getString(3) + " " + rows.getString(4) + " " + rows.getInt(5));
            }
        }
        return lines;
    }

    private Map<String, String> exportedStatuses() throws SQLException {
        Map<String, String> statuses = new HashMap<>();
        try (Connection connection = TestPostgres.server().connect(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery("SELECT id, status FROM " + schema + ".workflows");
            while (rows.next()) {
                statuses.put(rows.getString(1), rows.getString(2));
            }
        }
        return statuses;
    }

    /** The leader's {@code flowraft_history_export_lag_entries} gauge. */
    private long exportLag(int node) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                cluster.node(node).managementUri().resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher matcher = LAG.matcher(metrics.body());
        if (!matcher.find()) {
            throw new AssertionError("no export lag metric on node " + node);
        }
        return (long) Double.parseDouble(matcher.group(2));
    }
}
