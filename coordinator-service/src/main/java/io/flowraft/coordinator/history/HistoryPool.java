package io.flowraft.coordinator.history;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;

/** The connection pool's settings: small, lazy, and quick to give up when PostgreSQL is down or hangs. */
final class HistoryPool {

    private HistoryPool() {
    }

    static HikariConfig config(HistoryProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("flowraft-history");
        config.setJdbcUrl(properties.jdbcUrl());
        if (!properties.username().isBlank()) {
            config.setUsername(properties.username());
        }
        if (!properties.password().isEmpty()) {
            config.setPassword(properties.password());
        }
        config.setMaximumPoolSize(properties.poolSize());
        // Connect only when history is used, neither at start nor in the background: a coordinator must start, run
        // and stop while PostgreSQL is down or hangs, and a follower that never reads history holds no connection.
        // (An exporter that writes at least every ten minutes, the pool's idle timeout, keeps its connection.)
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        long connectMillis = properties.connectTimeout().toMillis();
        config.setConnectionTimeout(connectMillis);
        config.setValidationTimeout(connectMillis);

        int connectSeconds = seconds(properties.connectTimeout());
        // The driver's own bounds, in whole seconds. connectTimeout covers the TCP connect, loginTimeout the whole
        // log-in (a server that accepts and then says nothing). A statement times out server-side after the query
        // timeout (JdbcHistoryStore), which needs a working server to cancel it; socketTimeout, later than that,
        // drops a connection that answers nothing at all.
        driverProperty(config, "connectTimeout", connectSeconds);
        driverProperty(config, "loginTimeout", connectSeconds);
        driverProperty(config, "socketTimeout", seconds(properties.queryTimeout()) + connectSeconds);
        driverProperty(config, "cancelSignalTimeout", connectSeconds);
        driverProperty(config, "tcpKeepAlive", true);
        driverProperty(config, "ApplicationName", "flowraft-coordinator");
        return config;
    }

    /**
     * As text: Hikari hands these to the driver as they are, and the driver reads them with
     * {@code Properties.getProperty}, which sees only strings (an Integer would silently leave the timeout unset).
     */
    private static void driverProperty(HikariConfig config, String name, Object value) {
        config.addDataSourceProperty(name, String.valueOf(value));
    }

    /** Whole seconds, rounded up: the driver takes seconds, and a timeout of 0 means none. */
    static int seconds(Duration duration) {
        return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
