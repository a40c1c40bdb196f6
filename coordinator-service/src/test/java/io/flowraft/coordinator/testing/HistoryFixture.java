package io.flowraft.coordinator.testing;

import io.flowraft.coordinator.history.HistoryDatabase;
import io.flowraft.coordinator.history.HistoryProperties;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.Driver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * History on the test PostgreSQL ({@link TestPostgres}) for one test at a time: fresh cluster ids (so fresh
 * schemas), databases on them and proxies in front, all dropped and closed after each test. Register it with
 * {@code @RegisterExtension}.
 */
public final class HistoryFixture implements AfterEachCallback {

    private final List<String> clusterIds = new ArrayList<>();
    private final List<HistoryDatabase> databases = new ArrayList<>();
    private final List<PausableTcpProxy> proxies = new ArrayList<>();

    /** The test PostgreSQL. */
    public TestPostgres.Server server() {
        return TestPostgres.server();
    }

    /** A cluster id no other test uses; its schema is dropped after the test. */
    public String newClusterId() {
        String clusterId = "test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        clusterIds.add(clusterId);
        return clusterId;
    }

    /** Settings for the test PostgreSQL with the defaults' pool size and timeouts. */
    public HistoryProperties properties() {
        return properties(server().jdbcUrl(), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** Settings for {@code jdbcUrl} (a proxy, a closed port) as the test PostgreSQL's user. */
    public HistoryProperties properties(String jdbcUrl, Duration connectTimeout, Duration queryTimeout) {
        return new HistoryProperties(jdbcUrl, server().username(), server().password(), 4, connectTimeout, queryTimeout);
    }

    /** A database on the test PostgreSQL, closed after the test. */
    public HistoryDatabase database() {
        return database(properties());
    }

    /** A database of these settings, closed after the test. */
    public HistoryDatabase database(HistoryProperties properties) {
        HistoryDatabase database = new HistoryDatabase(properties);
        databases.add(database);
        return database;
    }

    /** Plain SQL on the test PostgreSQL, for looking at the tables directly. */
    public JdbcClient sql() {
        TestPostgres.Server server = server();
        return JdbcClient.create(new SimpleDriverDataSource(new Driver(), server.jdbcUrl(),
                server.username().isEmpty() ? null : server.username(),
                server.password().isEmpty() ? null : server.password()));
    }

    /** A proxy to the test PostgreSQL (to make it hang or vanish), closed after the test. */
    public PausableTcpProxy proxy() {
        URI address = URI.create(server().jdbcUrl().substring("jdbc:".length()));
        PausableTcpProxy proxy = new PausableTcpProxy(address.getHost(), address.getPort() < 0 ? 5432 : address.getPort());
        proxies.add(proxy);
        return proxy;
    }

    /** Settings that reach the test PostgreSQL through {@code proxy}, with these timeouts. */
    public HistoryProperties propertiesThrough(PausableTcpProxy proxy, Duration connectTimeout, Duration queryTimeout) {
        String url = server().jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        return properties(url, connectTimeout, queryTimeout);
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        databases.forEach(HistoryDatabase::close);
        databases.clear();
        proxies.forEach(PausableTcpProxy::close);
        proxies.clear();
        try (Connection connection = server().connect()) {
            for (String clusterId : clusterIds) {
                connection.createStatement().execute("DROP SCHEMA IF EXISTS " + HistoryDatabase.schemaFor(clusterId) + " CASCADE");
            }
        }
        clusterIds.clear();
    }
}
