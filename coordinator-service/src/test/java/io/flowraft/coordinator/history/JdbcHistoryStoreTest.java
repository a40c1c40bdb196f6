package io.flowraft.coordinator.history;

import static io.flowraft.coordinator.history.HistoryRecords.T0;
import static io.flowraft.coordinator.history.HistoryRecords.asRead;
import static io.flowraft.coordinator.history.HistoryRecords.bare;
import static io.flowraft.coordinator.history.HistoryRecords.batch;
import static io.flowraft.coordinator.history.HistoryRecords.line;
import static io.flowraft.coordinator.history.HistoryRecords.task;
import static io.flowraft.coordinator.history.HistoryRecords.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.flowraft.coordinator.testing.HistoryFixture;
import io.flowraft.coordinator.testing.PausableTcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link JdbcHistoryStore} on a real PostgreSQL, each test in a schema of its own. */
class JdbcHistoryStoreTest {

    private static final Logger log = LoggerFactory.getLogger(JdbcHistoryStoreTest.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The longest a call may take against a hung server: a statement on a connection is dropped after the query
     * timeout plus the connect timeout (the driver's socket timeout); getting a new connection gives up after the
     * connect timeout. One second more for scheduling on a busy machine.
     */
    private static final Duration FAILURE_BOUND = QUERY_TIMEOUT.plus(CONNECT_TIMEOUT).plusSeconds(1);

    @RegisterExtension
    final HistoryFixture fixture = new HistoryFixture();

    private HistoryDatabase database;
    private String schema;
    private HistoryStore store;

    @BeforeEach
    void openStore() {
        String clusterId = fixture.newClusterId();
        database = fixture.database();
        schema = HistoryDatabase.schemaFor(clusterId);
        store = database.open(clusterId);
    }

    @Test
    void aBatchReadsBackAsWrittenWithEveryAttemptKept() {
        ExportedTask chargeFailed = task("charge", 0, 1, "FAILED");
        ExportedTask charged = task("charge", 0, 2, "COMPLETED");
        ExportedTask ship = task("ship", 1, 0, "PENDING", "charge");
        List<ExportedHistoryLine> lines = List.of(line("wf-1", 0, 7, "WorkflowSubmitted", null),
                line("wf-1", 1, 9, "TaskFailed", "charge"), line("wf-1", 2, 12, "TaskCompleted", "charge"));
        ExportedWorkflow written = workflow("wf-1", "orders@3", "RUNNING", T0, List.of(chargeFailed, charged, ship), lines);

        store.write(batch(0, 12, written));

        assertThat(store.workflow("wf-1")).contains(asRead(written, charged, ship));
        assertThat(store.history("wf-1")).isEqualTo(lines);
        // The port reads latest attempts only; every attempt is kept, with its own outcome.
        assertThat(fixture.sql().sql("SELECT attempt, status, error, output FROM " + schema
                + ".tasks WHERE task_id = 'charge' ORDER BY attempt").query().listOfRows())
                .containsExactly(row("attempt", 1, "status", "FAILED", "error", "boom 1", "output", null),
                        row("attempt", 2, "status", "COMPLETED", "error", null, "output", "{\"ok\": true}"));
        assertThat(fixture.sql().sql("SELECT definition_name, definition_version FROM " + schema + ".workflows")
                .query().singleRow()).isEqualTo(Map.of("definition_name", "orders", "definition_version", 3));
    }

    @Test
    void aWorkflowReadsWithEachTaskAtItsLatestAttemptInDagOrder() {
        ExportedTask a3 = task("a", 0, 3, "COMPLETED");
        ExportedTask b0 = task("b", 1, 0, "SKIPPED", "a");
        ExportedTask c1 = task("c", 2, 1, "RUNNING", "a", "b");
        // Written out of order, attempts mixed: the read orders by position and keeps the highest attempt.
        store.write(batch(0, 5, workflow("wf", null, "RUNNING", T0,
                List.of(c1, task("a", 0, 2, "FAILED"), b0, a3, task("a", 0, 1, "FAILED")), List.of())));

        assertThat(store.workflow("wf")).hasValueSatisfying(w -> {
            assertThat(w.tasks()).containsExactly(a3, b0, c1);
            assertThat(w.definitionRef()).isNull();
            assertThat(w.history()).isEmpty();
        });
        assertThat(store.workflow("nope")).isEmpty();
        assertThat(store.history("nope")).isEmpty();
    }

    @Test
    void writingTheSameBatchTwiceChangesNothing() {
        ExportBatch once = batch(0, 20, workflow("wf", "orders@1", "COMPLETED", T0,
                List.of(task("a", 0, 1, "COMPLETED")), List.of(line("wf", 0, 3, "WorkflowSubmitted", null),
                        line("wf", 1, 20, "WORKFLOW_COMPLETED", null))));
        store.write(once);
        Map<String, List<String>> before = tables();

        store.write(once);

        assertThat(tables()).isEqualTo(before);
        assertThat(store.history("wf")).hasSize(2);
    }

    @Test
    void aBatchCapturedEarlierDoesNotRegressRowsButAddsItsLines() {
        ExportedWorkflow done = workflow("wf", "orders@1", "COMPLETED", T0, List.of(task("a", 0, 1, "COMPLETED")),
                List.of(line("wf", 0, 3, "WorkflowSubmitted", null)));
        ExportedWorkflow stillRunning = workflow("wf", "orders@1", "RUNNING", T0, List.of(task("a", 0, 1, "RUNNING")),
                List.of(line("wf", 0, 3, "WorkflowSubmitted", null), line("wf", 1, 8, "LeaseGranted", "a")));
        store.write(batch(10, 20, done));

        // A deposed leader's batch, captured at index 15, arrives late.
        store.write(batch(10, 15, stillRunning));

        assertThat(store.workflow("wf")).contains(asRead(done, done.tasks().getFirst()));
        assertThat(fixture.sql().sql("SELECT exported_through FROM " + schema + ".workflows").query(Long.class).single())
                .isEqualTo(20L);
        assertThat(store.history("wf")).extracting(ExportedHistoryLine::seq).containsExactly(0, 1);

        // A later batch still replaces it.
        ExportedWorkflow failed = workflow("wf", "orders@1", "FAILED", T0, List.of(task("a", 0, 2, "FAILED")), List.of());
        store.write(batch(20, 30, failed));
        assertThat(store.workflow("wf")).contains(asRead(failed, failed.tasks().getFirst()));
    }

    @Test
    void listFiltersAndPagesInIdOrder() {
        List<ExportedWorkflow> all = new ArrayList<>();
        String[] statuses = {"RUNNING", "COMPLETED", "FAILED"};
        String[] refs = {"orders@1", "orders@2", "refunds@1", null};
        for (int i = 0; i < 12; i++) {
            all.add(bare("wf-%02d".formatted(i), refs[i % 4], statuses[i % 3], T0 + i * 1_000L));
        }
        store.write(new ExportBatch(0, 40, all));

        assertThat(ids(new ListQuery(null, null, null, null, null, null, null, 100))).hasSize(12).isSorted();
        assertThat(ids(query("COMPLETED", null, null))).containsExactly("wf-01", "wf-04", "wf-07", "wf-10");
        assertThat(ids(query(null, "orders", null))).containsExactly("wf-00", "wf-01", "wf-04", "wf-05", "wf-08", "wf-09");
        assertThat(ids(query(null, "orders", 2))).containsExactly("wf-01", "wf-05", "wf-09");
        assertThat(ids(query("COMPLETED", "orders", null))).containsExactly("wf-01", "wf-04");
        assertThat(ids(new ListQuery(null, null, null, T0 + 3_000, T0 + 7_000, null, null, 100)))
                .containsExactly("wf-03", "wf-04", "wf-05", "wf-06");
        assertThat(ids(new ListQuery(null, null, null, null, null, "key-wf-05", null, 100))).containsExactly("wf-05");
        assertThat(ids(new ListQuery(null, null, null, null, null, null, "wf-09", 100))).containsExactly("wf-10", "wf-11");
        assertThat(store.list(query("FAILED", "refunds", 1))).containsExactly(
                new WorkflowSummaryRow("wf-02", "refunds@1", "FAILED", T0 + 2_000, T0 + 7_000));

        assertThat(pageThrough(afterId -> new ListQuery(null, null, null, null, null, null, afterId, 5)))
                .containsExactlyElementsOf(all.stream().map(ExportedWorkflow::id).toList());
        assertThat(pageThrough(afterId -> new ListQuery("RUNNING", null, null, null, null, null, afterId, 1)))
                .containsExactly("wf-00", "wf-03", "wf-06", "wf-09");
    }

    @Test
    void summariesOfManyWorkflowsComeFromOneLookupAndSkipTheUnknown() {
        store.write(batch(0, 1, bare("wf-a", "orders@1", "COMPLETED", T0), bare("wf-b", null, "FAILED", T0 + 1_000),
                bare("wf-c", null, "RUNNING", T0)));

        assertThat(store.summaries(List.of("wf-b", "nope", "wf-a")))
                .extracting(WorkflowSummaryRow::id, WorkflowSummaryRow::status)
                .containsExactlyInAnyOrder(tuple("wf-a", "COMPLETED"), tuple("wf-b", "FAILED"));
        assertThat(store.summaries(List.of())).isEmpty();
    }

    @Test
    void idsSortInJavaStringOrderWhateverTheDatabaseCollation() {
        // The API merges this list with the replicated state's (Java String order): upper case before lower case.
        store.write(batch(0, 1, bare("b-1", null, "RUNNING", T0), bare("B-2", null, "RUNNING", T0),
                bare("a-1", null, "RUNNING", T0), bare("Z", null, "RUNNING", T0), bare("_x", null, "RUNNING", T0)));

        List<String> expected = new ArrayList<>(List.of("b-1", "B-2", "a-1", "Z", "_x"));
        expected.sort(String::compareTo);
        assertThat(ids(new ListQuery(null, null, null, null, null, null, null, 10))).isEqualTo(expected);
        assertThat(ids(new ListQuery(null, null, null, null, null, null, "Z", 10)))
                .isEqualTo(expected.subList(expected.indexOf("Z") + 1, expected.size()));
    }

    @Test
    void twoClustersDoNotSeeEachOthersHistory() {
        String otherId = fixture.newClusterId();
        HistoryStore other = database.open(otherId);
        ExportedWorkflow mine = workflow("wf", "orders@1", "COMPLETED", T0, List.of(task("a", 0, 1, "COMPLETED")),
                List.of(line("wf", 0, 3, "WorkflowSubmitted", null)));
        store.write(batch(0, 10, mine));

        assertThat(other.workflow("wf")).isEmpty();
        assertThat(other.history("wf")).isEmpty();
        assertThat(other.list(query(null, null, null))).isEmpty();

        ExportedWorkflow theirs = bare("wf", "refunds@4", "FAILED", T0 + 1);
        other.write(batch(0, 99, theirs));
        assertThat(other.workflow("wf")).contains(asRead(theirs));
        assertThat(store.workflow("wf")).contains(asRead(mine, mine.tasks().getFirst()));
    }

    @Test
    void aThousandWorkflowBatchIsOneTransaction() {
        List<ExportedWorkflow> workflows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String id = "wf-%04d".formatted(i);
            List<ExportedHistoryLine> lines = new ArrayList<>();
            for (int seq = 0; seq < 8; seq++) {
                lines.add(line(id, seq, 10L + seq, "TaskCompleted", "a"));
            }
            workflows.add(workflow(id, "orders@1", "COMPLETED", T0 + i, List.of(task("a", 0, 1, "FAILED"),
                    task("a", 0, 2, "COMPLETED"), task("b", 1, 1, "COMPLETED", "a"), task("c", 2, 1, "COMPLETED", "b")),
                    lines));
        }
        ExportBatch big = new ExportBatch(0, 5_000, workflows);

        long start = System.nanoTime();
        store.write(big);
        long firstMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        store.write(big);
        long againMillis = (System.nanoTime() - start) / 1_000_000;
        log.info("1,000 workflows (4,000 task attempts, 8,000 lines): written in {} ms, written again in {} ms",
                firstMillis, againMillis);

        assertThat(fixture.sql().sql("SELECT (SELECT count(*) FROM " + schema + ".workflows) AS w, (SELECT count(*) FROM "
                + schema + ".tasks) AS t, (SELECT count(*) FROM " + schema + ".history) AS h").query().singleRow())
                .isEqualTo(Map.of("w", 1_000L, "t", 4_000L, "h", 8_000L));
    }

    @Test
    void aListLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> store.list(new ListQuery(null, null, null, null, null, null, null, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aHungPostgresFailsEveryCallWithinTheTimeoutsAndTheStoreRecovers() {
        PausableTcpProxy proxy = fixture.proxy();
        HistoryStore proxied = storeWithOneWorkflowThrough(proxy);
        assertThat(proxied.reachable()).isTrue();

        proxy.pause();

        assertUnavailableQuickly(() -> proxied.write(batch(1, 2, bare("wf", null, "COMPLETED", T0))), "Writing export batch");
        assertUnavailableQuickly(() -> proxied.workflow("wf"), "Reading workflow wf");
        assertUnavailableQuickly(() -> proxied.history("wf"), "Reading the history of workflow wf");
        assertUnavailableQuickly(() -> proxied.list(query(null, null, null)), "Listing workflows");
        long start = System.nanoTime();
        assertThat(proxied.reachable()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAILURE_BOUND);

        proxy.resume();
        await().atMost(Duration.ofSeconds(20)).until(proxied::reachable);
        proxied.write(batch(1, 2, bare("wf", null, "COMPLETED", T0)));
        assertThat(proxied.workflow("wf")).hasValueSatisfying(w -> assertThat(w.status()).isEqualTo("COMPLETED"));
    }

    @Test
    void aClosedPortFailsTheStoreQuickly() {
        PausableTcpProxy proxy = fixture.proxy();
        HistoryStore proxied = storeWithOneWorkflowThrough(proxy);

        proxy.close(); // connections broken, and nothing listens on the port any more

        assertUnavailableQuickly(() -> proxied.write(batch(1, 2, bare("wf", null, "COMPLETED", T0))), "Writing export batch");
        assertUnavailableQuickly(() -> proxied.workflow("wf"), "Reading workflow wf");
        assertThat(proxied.reachable()).isFalse();
    }

    /** A store of a new cluster that reaches PostgreSQL through {@code proxy}, holding workflow {@code wf}. */
    private HistoryStore storeWithOneWorkflowThrough(PausableTcpProxy proxy) {
        HistoryStore store = fixture.database(fixture.propertiesThrough(proxy, CONNECT_TIMEOUT, QUERY_TIMEOUT))
                .open(fixture.newClusterId());
        store.write(batch(0, 1, bare("wf", null, "RUNNING", T0)));
        return store;
    }

    /** Fails with HistoryUnavailableException naming {@code what} and the schema, before {@link #FAILURE_BOUND}. */
    private static void assertUnavailableQuickly(ThrowingCallable call, String what) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(HistoryUnavailableException.class)
                .hasMessageStartingWith(what).hasMessageContaining(" in history schema flowraft_test");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("{}: unavailable after {} ms", what, took.toMillis());
        assertThat(took).as(what).isLessThan(FAILURE_BOUND);
    }

    private static ListQuery query(String status, String definitionName, Integer definitionVersion) {
        return new ListQuery(status, definitionName, definitionVersion, null, null, null, null, 100);
    }

    private List<String> ids(ListQuery query) {
        return store.list(query).stream().map(WorkflowSummaryRow::id).toList();
    }

    /** Every id over pages of the query the cursor function makes, failing on a page that repeats one. */
    private List<String> pageThrough(Function<String, ListQuery> page) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        while (true) {
            ListQuery query = page.apply(cursor);
            List<String> ids = ids(query);
            assertThat(ids).hasSizeLessThanOrEqualTo(query.limit());
            assertThat(Collections.disjoint(ids, seen)).as("page %s after %s", ids, seen).isTrue();
            if (ids.isEmpty()) {
                return seen;
            }
            seen.addAll(ids);
            cursor = ids.getLast();
        }
    }

    /** Every row of the schema's tables, each as JSON text (arrays and times compare by value that way). */
    private Map<String, List<String>> tables() {
        return Map.of(
                "workflows", rowsOf("workflows", "id"),
                "tasks", rowsOf("tasks", "workflow_id, task_id, attempt"),
                "history", rowsOf("history", "workflow_id, seq"));
    }

    private List<String> rowsOf(String table, String key) {
        return fixture.sql().sql("SELECT to_jsonb(r)::text FROM " + schema + "." + table + " r ORDER BY " + key)
                .query(String.class).list();
    }

    /** A row as listOfRows gives it: columns in order, nulls included. */
    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }
}
