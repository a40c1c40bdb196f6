package io.flowraft.cli.local;

import io.flowraft.contracts.local.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL that a local cluster ({@code ./flowraft up}, the demo, the benchmark) keeps its history in, found
 * in this order and never skipped silently:
 * <ol>
 *   <li>{@code FLOWRAFT_JDBC_URL}, when set: used as given (credentials in the URL, e.g. {@code ?user=..&password=..});</li>
 *   <li>a PostgreSQL answering on 127.0.0.1:5432 as user {@code postgres} without a password (database
 *       {@code postgres});</li>
 *   <li>an embedded PostgreSQL (zonky's binaries) started here, its data under the cluster's directory so that a
 *       restarted cluster finds its history again, and stopped when this is closed or the JVM exits.</li>
 * </ol>
 * Each cluster writes to a schema named after its cluster id, so several clusters can share one database.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String URL_VARIABLE = "FLOWRAFT_JDBC_URL";
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final String jdbcUrl;
    private final String origin;
    private final EmbeddedPostgres embedded;

    private LocalPostgres(String jdbcUrl, String origin, EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.origin = origin;
        this.embedded = embedded;
    }

    /**
     * Finds or starts the PostgreSQL for a cluster whose files are under {@code clusterDir}.
     *
     * @param notes where to say which one was taken, and why an earlier one was passed over
     * @throws IOException when none of the three is available (the embedded one failed to start)
     */
    public static LocalPostgres resolve(Path clusterDir, Map<String, String> environment, PrintStream notes)
            throws IOException {
        return resolve(clusterDir, environment, notes, LOCAL_URL);
    }

    /** As {@link #resolve(Path, Map, PrintStream)}, with {@code localUrl} in place of 127.0.0.1:5432. */
    static LocalPostgres resolve(Path clusterDir, Map<String, String> environment, PrintStream notes, String localUrl)
            throws IOException {
        String configured = environment.get(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new LocalPostgres(configured, URL_VARIABLE, null);
        }
        Optional<String> localProblem = answers(localUrl);
        if (localProblem.isEmpty()) {
            return new LocalPostgres(localUrl, "PostgreSQL on 127.0.0.1:5432", null);
        }
        notes.println("No usable PostgreSQL on 127.0.0.1:5432 (" + localProblem.get()
                + "); starting an embedded one (the first start takes a few seconds)");
        Path data = clusterDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(FreePorts.next())
                .start();
        return new LocalPostgres("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres",
                "embedded PostgreSQL, data in " + data, postgres);
    }

    /** Empty when {@code url} takes a login and answers a query; otherwise why not. */
    static Optional<String> answers(String url) {
        // The driver is on the class path but not registered when the CLI runs from a shaded jar with -cp.
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            return Optional.of("no PostgreSQL driver: " + e.getMessage());
        }
        Properties timeouts = new Properties();
        timeouts.setProperty("connectTimeout", "3");
        timeouts.setProperty("socketTimeout", "5");
        try (Connection connection = DriverManager.getConnection(url, timeouts)) {
            connection.createStatement().execute("select 1");
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The URL to hand to each coordinator as {@code --flowraft.history.jdbc-url}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Which of the three was taken, for the user. */
    public String origin() {
        return origin;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }

    /**
     * For {@code ./flowraft up}: {@code LocalPostgres <cluster-dir> <url-file>} resolves as above and writes the JDBC
     * URL to {@code url-file} (then its origin on a second line). With an embedded PostgreSQL it then runs until it is
     * terminated, stopping PostgreSQL on the way out; otherwise it exits at once.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalPostgres <cluster-dir> <url-file>");
            System.exit(64);
        }
        LocalPostgres postgres = resolve(Path.of(args[0]), System.getenv(), System.out);
        Path urlFile = Path.of(args[1]);
        Path partial = urlFile.resolveSibling(urlFile.getFileName() + ".partial");
        Files.writeString(partial, postgres.jdbcUrl() + "\n" + postgres.origin() + "\n");
        Files.move(partial, urlFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (postgres.embedded == null) {
            return;
        }
        // Zonky's shutdown hook stops PostgreSQL when this JVM is terminated.
        Thread.currentThread().join();
    }
}
