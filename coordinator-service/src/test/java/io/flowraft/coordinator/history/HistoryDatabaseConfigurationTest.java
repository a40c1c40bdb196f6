package io.flowraft.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.testing.PausableTcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** History's beans: none without a JDBC URL; with one, settings validated and nothing connected at start-up. */
class HistoryDatabaseConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(HistoryDatabaseConfiguration.class);

    @Test
    void withoutAJdbcUrlHistoryIsOff() {
        contexts.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HistoryDatabase.class));
        // What ./flowraft passes when FLOWRAFT_JDBC_URL is unset.
        contexts.withPropertyValues("flowraft.history.jdbc-url=")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HistoryDatabase.class));
    }

    @Test
    void withAJdbcUrlTheDatabaseStartsWithoutConnecting() {
        // A server that accepts nothing and answers nothing, and a long connect timeout: had start-up (or the pool
        // in the background, which shutdown then waits for) tried to connect, the run would have taken a minute.
        try (PausableTcpProxy hung = new PausableTcpProxy("127.0.0.1", FreePorts.next())) {
            hung.pause();
            long start = System.nanoTime();
            contexts.withPropertyValues("flowraft.history.jdbc-url=jdbc:postgresql://127.0.0.1:" + hung.port() + "/flowraft",
                            "flowraft.history.connect-timeout=1m")
                    .run(context -> assertThat(context).hasNotFailed().hasSingleBean(HistoryDatabase.class).hasSingleBean(HistoryStores.class));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void thePoolIsSmallAndTheTimeoutsShortByDefault() {
        contexts.withPropertyValues("flowraft.history.jdbc-url=jdbc:postgresql://127.0.0.1/flowraft").run(context -> {
            HistoryProperties properties = context.getBean(HistoryProperties.class);
            assertThat(properties.poolSize()).isEqualTo(4);
            assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void invalidSettingsStopStartUpNamingTheSetting() {
        contexts.withPropertyValues("flowraft.history.jdbc-url=jdbc:mysql://127.0.0.1/flowraft").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("jdbcUrl"));
        contexts.withPropertyValues("flowraft.history.jdbc-url=jdbc:postgresql://127.0.0.1/flowraft",
                "flowraft.history.pool-size=1").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("poolSize"));
        contexts.withPropertyValues("flowraft.history.jdbc-url=jdbc:postgresql://127.0.0.1/flowraft",
                "flowraft.history.connect-timeout=0s").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("connectTimeout"));
    }
}
