package io.flowraft.coordinator.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How the records' values map to columns: epoch milliseconds to {@code timestamptz}, {@code name@version} split. */
final class SqlValues {

    private SqlValues() {
    }

    /** A time that is always set (0 is stored as the epoch). */
    static void setTime(PreparedStatement statement, int index, long epochMillis) throws SQLException {
        statement.setObject(index, toTimestamp(epochMillis), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    /** A time that may be unset: 0 is stored as null. */
    static void setOptionalTime(PreparedStatement statement, int index, long epochMillis) throws SQLException {
        statement.setObject(index, epochMillis == 0 ? null : toTimestamp(epochMillis), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    static OffsetDateTime toTimestamp(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /** Epoch milliseconds of a {@code timestamptz} column, 0 for null. */
    static long time(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? 0 : value.toInstant().toEpochMilli();
    }

    /** The name of a {@code name@version} definition reference (definition names never hold {@code @}). */
    static String definitionName(String definitionRef) {
        if (definitionRef == null) {
            return null;
        }
        int at = definitionRef.lastIndexOf('@');
        return at < 0 ? definitionRef : definitionRef.substring(0, at);
    }

    /** The version of a {@code name@version} definition reference, or null if it names none. */
    static Integer definitionVersion(String definitionRef) {
        if (definitionRef == null) {
            return null;
        }
        int at = definitionRef.lastIndexOf('@');
        try {
            return at < 0 ? null : Integer.valueOf(definitionRef.substring(at + 1));
        } catch (NumberFormatException e) {
            return null; // not a version: the whole reference still lands in definition_ref
        }
    }
}
