package io.flowraft.coordinator.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One cluster's history in its PostgreSQL schema (opened by {@link HistoryDatabase}, which migrated it). Every
 * failure of PostgreSQL, unreachable, hung past the timeouts or refusing a statement, comes out as
 * {@link HistoryUnavailableException}; the statements' timeouts keep that quick.
 */
public final class JdbcHistoryStore implements HistoryStore {

    private final String schema;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final JdbcClient client;
    private final TransactionTemplate writeTransaction;
    private final TransactionTemplate readSnapshot;
    private final HistoryWrites writes;
    private final HistoryReads reads;
    private final int checkSeconds;

    JdbcHistoryStore(DataSource dataSource, String schema, HistoryProperties properties) {
        this.schema = schema;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout(HistoryPool.seconds(properties.queryTimeout()));
        this.client = JdbcClient.create(jdbc);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        this.writeTransaction = new TransactionTemplate(transactions);
        // A workflow and its tasks are read in two statements: one snapshot, so that a batch committed in between
        // cannot mix an old workflow row with newer tasks.
        this.readSnapshot = new TransactionTemplate(transactions);
        readSnapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        readSnapshot.setReadOnly(true);
        this.writes = new HistoryWrites(schema);
        this.reads = new HistoryReads(schema);
        this.checkSeconds = HistoryPool.seconds(properties.connectTimeout());
    }

    /** The PostgreSQL schema this store lives in. */
    public String schema() {
        return schema;
    }

    @Override
    public void write(ExportBatch batch) {
        if (batch.workflows().isEmpty()) {
            return;
        }
        String what = "Writing export batch (after " + batch.afterIndex() + " through " + batch.throughIndex() + ", "
                + batch.workflows().size() + " workflows)";
        guarded(what, () -> writeTransaction.execute(status -> {
            writes.write(jdbc, batch);
            return null;
        }));
    }

    @Override
    public Optional<ExportedWorkflow> workflow(String workflowId) {
        return guarded("Reading workflow " + workflowId,
                () -> readSnapshot.execute(status -> reads.workflow(client, workflowId)));
    }

    @Override
    public List<ExportedHistoryLine> history(String workflowId) {
        return guarded("Reading the history of workflow " + workflowId, () -> reads.history(client, workflowId));
    }

    @Override
    public List<WorkflowSummaryRow> list(ListQuery query) {
        return guarded("Listing workflows (" + query + ")", () -> reads.list(client, query));
    }

    @Override
    public List<WorkflowSummaryRow> summaries(Collection<String> workflowIds) {
        return workflowIds.isEmpty() ? List.of()
                : guarded("Reading " + workflowIds.size() + " workflows", () -> reads.summaries(client, workflowIds));
    }

    @Override
    public boolean reachable() {
        // Getting a connection is bounded by the pool's connect timeout, and isValid (an empty query) by its own.
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(checkSeconds);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private <T> T guarded(String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException | TransactionException e) {
            throw new HistoryUnavailableException(what + " in history schema " + schema + " failed: " + reason(e), e);
        }
    }

    /** The cause worth reading: a failed rollback hides the failure that caused it. */
    private static String reason(NestedRuntimeException e) {
        Throwable cause = e;
        if (e instanceof TransactionSystemException failedRollback && failedRollback.getApplicationException() != null) {
            cause = failedRollback.getApplicationException();
        }
        Throwable specific = cause instanceof NestedRuntimeException nested ? nested.getMostSpecificCause() : cause;
        return specific.getMessage();
    }

    @Override
    public String toString() {
        return "JdbcHistoryStore[" + schema + "]";
    }
}
