package io.flowraft.bench.peer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * db-scheduler's table, in a schema of the peer's own. db-scheduler does not create its table; this is the
 * PostgreSQL layout its documentation gives (one row per scheduled execution, keyed by task name and instance,
 * with the indexes its polling and heartbeat queries use), created afresh for each run and dropped after it,
 * so a run never starts on another's rows or dead tuples and leaves nothing behind.
 */
final class PeerSchema {

    static final String TABLE = "scheduled_tasks";

    private final DataSource dataSource;
    private final String schema;

    PeerSchema(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** Drops whatever an earlier, interrupted run left, then creates the schema, the table and its indexes. */
    void create() throws SQLException {
        String table = schema + "." + TABLE;
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE",
                "CREATE SCHEMA " + schema,
                "CREATE TABLE " + table + " ("
                        + "task_name text NOT NULL, "
                        + "task_instance text NOT NULL, "
                        + "task_data bytea, "
                        + "execution_time timestamptz NOT NULL, "
                        + "picked boolean NOT NULL, "
                        + "picked_by text, "
                        + "last_success timestamptz, "
                        + "last_failure timestamptz, "
                        + "consecutive_failures int, "
                        + "last_heartbeat timestamptz, "
                        + "version bigint NOT NULL, "
                        + "priority smallint, "
                        + "PRIMARY KEY (task_name, task_instance))",
                "CREATE INDEX execution_time_idx ON " + table + " (execution_time)",
                "CREATE INDEX last_heartbeat_idx ON " + table + " (last_heartbeat)",
                "CREATE INDEX priority_execution_time_idx ON " + table + " (priority DESC, execution_time ASC)");
    }

    void drop() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** Rows left in the table: 0 after a run in which every workflow finished. */
    long rows() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + "." + TABLE)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The server's version and durability settings: what the report says the peer ran on. */
    String serverDescription() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('server_version'), "
                        + "current_setting('synchronous_commit'), current_setting('fsync')")) {
            row.next();
            String version = row.getString(1).split(" ", 2)[0]; // "15.20 (Debian 15.20-0+deb12u1)": the number
            return "PostgreSQL " + version + " (synchronous_commit " + row.getString(2) + ", fsync "
                    + row.getString(3) + ")";
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
