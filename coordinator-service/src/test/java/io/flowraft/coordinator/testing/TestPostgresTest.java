package io.flowraft.coordinator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The provisioning steps of {@link TestPostgres} that this machine would not reach on its own. */
class TestPostgresTest {

    private static final Logger log = LoggerFactory.getLogger(TestPostgresTest.class);

    @Test
    void theEmbeddedFallbackStartsAPostgres() throws Exception {
        List<String> tried = new ArrayList<>();
        long start = System.nanoTime();

        TestPostgres.Server server = TestPostgres.embedded(tried);

        assertThat(server).as("embedded PostgreSQL; tried: %s", tried).isNotNull();
        log.info("Embedded PostgreSQL started in {} ms at {}", (System.nanoTime() - start) / 1_000_000, server.jdbcUrl());
        try (Connection connection = server.connect(); ResultSet version = connection.createStatement()
                .executeQuery("SELECT version()")) {
            assertThat(version.next()).isTrue();
            assertThat(version.getString(1)).startsWith("PostgreSQL 17.");
        }
        assertThat(TestPostgres.check(server)).isNull();
    }

    @Test
    void withNothingFoundTheFailureSaysWhatWasTriedAndHowToProvideOne() {
        String message = TestPostgres.howToProvide(List.of("Testcontainers: no Docker engine answers",
                "jdbc:postgresql://127.0.0.1:5432/test as postgres: Connection refused"));

        assertThat(message).contains("Testcontainers: no Docker engine answers", "Connection refused",
                TestPostgres.JDBC_URL_ENV, "127.0.0.1:5432");
    }
}
