package io.flowraft.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.bench.peer.PeerSettings.Chaining;
import io.flowraft.bench.peer.PeerSettings.Polling;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tiny peer run against a real PostgreSQL: {@code FLOWRAFT_TEST_JDBC_URL} (with {@code FLOWRAFT_TEST_JDBC_USER}
 * and {@code FLOWRAFT_TEST_JDBC_PASSWORD}) when set, else the one on 127.0.0.1:5432, database {@code test}, user
 * {@code postgres}. No PostgreSQL fails the test, as the project's other PostgreSQL tests do, rather than skipping.
 * Each polling strategy and each way of chaining must run every step of every workflow exactly once, and leave
 * neither rows nor its schema behind.
 */
class DbSchedulerPeerTest {

    private static final String SCHEMA = "flowraft_peer_test";

    @AfterEach
    void dropSchemaEvenIfARunFailed() throws SQLException {
        try (Connection connection = connect()) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @ParameterizedTest
    @CsvSource({"LOCK_AND_FETCH, REPLACE", "LOCK_AND_FETCH, CLIENT", "FETCH, REPLACE", "FETCH, CLIENT"})
    void shouldRunEveryStepOfEveryWorkflowExactlyOnce(Polling polling, Chaining chaining) throws SQLException {
        // given 20 measured workflows after 5 warm-up ones, 5 in flight
        PeerSettings settings = settings().withPolling(polling).withChaining(chaining);

        // when
        PeerRun run = new DbSchedulerPeer(settings).run();

        // then every workflow ended after its 10 steps, each run once, and the throughput was measured
        assertThat(run.completed()).as(run.toString()).isEqualTo(20);
        assertThat(run.unfinished()).isZero();
        assertThat(run.stepsExecuted()).isEqualTo(20 * ChainStep.STEPS);
        assertThat(run.stepsNotExactlyOnce()).isZero();
        assertThat(run.rowsLeft()).isZero();
        assertThat(run.tasksPerSecond()).isPositive();
        assertThat(run.latency().count()).isEqualTo(20);
        assertThat(run.jvmCpuSeconds()).isPositive();
        assertThat(run.clean()).isTrue();
        // and the run dropped its schema
        assertThat(schemaExists()).isFalse();
    }

    @Test
    void shouldReportTheMedianRunAndFlowRaftsRatioToIt() throws SQLException {
        // given two repetitions
        PeerBaseline baseline = PeerBaseline.measure(settings(), 2, System.out);

        // when FlowRaft ran at twice the median's tasks/s
        PeerComparison comparison = PeerComparison.of(2 * baseline.median().tasksPerSecond(), 3, 4, baseline);

        // then the baseline names its setup, the median is one of the runs, and the ratio is 2
        assertThat(baseline.library()).isEqualTo("db-scheduler 16.7.1");
        assertThat(baseline.server()).startsWith("PostgreSQL ");
        assertThat(baseline.runs()).hasSize(2).contains(baseline.median());
        assertThat(baseline.median().tasksPerSecond())
                .isEqualTo(baseline.runs().stream().mapToDouble(PeerRun::tasksPerSecond).min().orElseThrow());
        assertThat(baseline.clean()).isTrue();
        assertThat(comparison.ratio()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PeerMarkdown.section(baseline, comparison))
                .contains("one node, in-process workers, no replication", "FlowRaft ÷ peer", "= **2.00**");
    }

    @Test
    void shouldTakeTheMedianByTasksPerSecond() {
        List<PeerRun> runs = List.of(run(300), run(100), run(200));

        assertThat(PeerBaseline.median(runs).tasksPerSecond()).isEqualTo(200);
    }

    private static PeerRun run(double tasksPerSecond) {
        return new PeerRun(1, 1, 0, 10, 0, 0, 1, tasksPerSecond / 10, tasksPerSecond,
                new Percentiles(1, 1, 1, 1, 1), 1, null);
    }

    private static PeerSettings settings() {
        return PeerSettings.chain(url(), 20, 5, 5, 8).withSchema(SCHEMA).withLogin(env("FLOWRAFT_TEST_JDBC_USER"),
                env("FLOWRAFT_TEST_JDBC_PASSWORD"));
    }

    private static boolean schemaExists() throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            query.setString(1, SCHEMA);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Connection connect() throws SQLException {
        Properties login = new Properties();
        if (env("FLOWRAFT_TEST_JDBC_USER") != null) {
            login.setProperty("user", env("FLOWRAFT_TEST_JDBC_USER"));
        }
        if (env("FLOWRAFT_TEST_JDBC_PASSWORD") != null) {
            login.setProperty("password", env("FLOWRAFT_TEST_JDBC_PASSWORD"));
        }
        return DriverManager.getConnection(url(), login);
    }

    private static String url() {
        String configured = env("FLOWRAFT_TEST_JDBC_URL");
        return configured != null ? configured : PeerSettings.DEFAULT_JDBC_URL;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }
}
