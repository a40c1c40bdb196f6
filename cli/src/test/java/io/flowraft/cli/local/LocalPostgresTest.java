package io.flowraft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.local.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a local cluster's history goes: the configured URL, else 127.0.0.1:5432, else an embedded server. */
class LocalPostgresTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheConfiguredUrlAsGivenWithoutLookingFurther() throws Exception {
        String configured = "jdbc:postgresql://db.example:5432/flowraft?user=u&password=p";
        try (LocalPostgres postgres = LocalPostgres.resolve(dir, Map.of(LocalPostgres.URL_VARIABLE, configured),
                System.out, "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/postgres?user=postgres")) {
            assertThat(postgres.jdbcUrl()).isEqualTo(configured);
            assertThat(postgres.origin()).isEqualTo(LocalPostgres.URL_VARIABLE);
        }
    }

    @Test
    void shouldSayWhyAServerDoesNotAnswer() {
        assertThat(LocalPostgres.answers("jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/postgres?user=postgres"))
                .hasValueSatisfying(why -> assertThat(why).containsIgnoringCase("refused"));
    }

    @Test
    void shouldStartAnEmbeddedServerWhenNothingAnswersAndFindItsDataAgainOnTheNextStart() throws Exception {
        // given nothing on the "local" port
        String nothing = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/postgres?user=postgres";
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        // when a cluster starts, writes, stops and starts again on the same directory
        try (LocalPostgres postgres = LocalPostgres.resolve(dir, Map.of(), new PrintStream(notes, true,
                StandardCharsets.UTF_8), nothing)) {
            assertThat(postgres.origin()).startsWith("embedded PostgreSQL");
            assertThat(LocalPostgres.answers(postgres.jdbcUrl())).isEmpty();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl());
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (v text)");
                statement.execute("INSERT INTO kept VALUES ('from the first start')");
            }
        }
        assertThat(notes.toString(StandardCharsets.UTF_8)).contains("No usable PostgreSQL on 127.0.0.1:5432")
                .contains("starting an embedded one");
        try (LocalPostgres again = LocalPostgres.resolve(dir, Map.of(), System.out, nothing);
                Connection connection = DriverManager.getConnection(again.jdbcUrl());
                Statement statement = connection.createStatement()) {
            // then the second start finds what the first wrote
            ResultSet rows = statement.executeQuery("SELECT v FROM kept");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("from the first start");
        }
    }
}
