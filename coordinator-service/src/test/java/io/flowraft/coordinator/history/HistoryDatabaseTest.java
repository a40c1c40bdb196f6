package io.flowraft.coordinator.history;

import static io.flowraft.coordinator.history.HistoryRecords.T0;
import static io.flowraft.coordinator.history.HistoryRecords.bare;
import static io.flowraft.coordinator.history.HistoryRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.testing.HistoryFixture;
import io.flowraft.coordinator.testing.PausableTcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Opening a cluster's history: schema names, migration once, simultaneous opens, PostgreSQL down at first. */
class HistoryDatabaseTest {

    @RegisterExtension
    final HistoryFixture fixture = new HistoryFixture();

    @Test
    void aClusterIdBecomesAValidSchemaName() {
        assertThat(HistoryDatabase.schemaFor("Prod-East.1")).isEqualTo("flowraft_prod_east_1");
        assertThat(HistoryDatabase.schemaFor("6f1c2d3e-aaaa-bbbb-cccc-0123456789ab"))
                .isEqualTo("flowraft_6f1c2d3e_aaaa_bbbb_cccc_0123456789ab");
        assertThat(HistoryDatabase.schemaFor("x".repeat(100))).hasSize(63).startsWith("flowraft_xxx");
        assertThatThrownBy(() -> HistoryDatabase.schemaFor(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoreIsOpenedOnceAndKept() {
        HistoryDatabase database = fixture.database();
        String clusterId = fixture.newClusterId();

        HistoryStore store = database.open(clusterId);

        assertThat(database.open(clusterId)).isSameAs(store);
        assertThat(((JdbcHistoryStore) store).schema()).isEqualTo(HistoryDatabase.schemaFor(clusterId));
        assertThat(fixture.sql().sql("SELECT version FROM " + HistoryDatabase.schemaFor(clusterId)
                + ".flyway_schema_history WHERE success AND version IS NOT NULL").query(String.class).list())
                .containsExactly("1");
    }

    @Test
    void coordinatorsOpeningOneClusterAtOnceAllSucceed() throws Exception {
        // Each coordinator has its own pool; they open the new cluster's schema at the same moment.
        List<HistoryDatabase> coordinators = List.of(fixture.database(), fixture.database(), fixture.database());
        try (ExecutorService threads = Executors.newFixedThreadPool(coordinators.size())) {
            for (int round = 0; round < 3; round++) {
                String clusterId = fixture.newClusterId();
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<HistoryStore>> opens = coordinators.stream()
                        .map(database -> CompletableFuture.supplyAsync(() -> {
                            awaitQuietly(go);
                            return database.open(clusterId);
                        }, threads))
                        .toList();
                go.countDown();
                List<HistoryStore> stores = opens.stream().map(CompletableFuture::join).toList();

                stores.getFirst().write(batch(0, 1, bare("wf", null, "RUNNING", T0)));
                assertThat(stores).allSatisfy(store -> assertThat(store.workflow("wf")).isPresent());
            }
        }
    }

    @Test
    void openingWhilePostgresIsDownFailsQuicklyAndWorksLater() {
        PausableTcpProxy proxy = fixture.proxy();
        proxy.pause();
        HistoryDatabase database = fixture.database(fixture.propertiesThrough(proxy, Duration.ofSeconds(1), Duration.ofSeconds(2)));
        String clusterId = fixture.newClusterId();

        long start = System.nanoTime();
        assertThatThrownBy(() -> database.open(clusterId)).isInstanceOf(HistoryUnavailableException.class)
                .hasMessageContaining("Opening history schema " + HistoryDatabase.schemaFor(clusterId));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

        proxy.resume();
        HistoryStore store = database.open(clusterId);
        store.write(batch(0, 1, bare("wf", null, "RUNNING", T0)));
        assertThat(store.workflow("wf")).isPresent();
    }

    @Test
    void aNewDatabaseConnectsToNothingUntilOpened() {
        // Nothing listens there: constructing must not fail or wait.
        HistoryProperties nowhere = fixture.properties("jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/test",
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        long start = System.nanoTime();
        HistoryDatabase database = fixture.database(nowhere);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

        assertThatThrownBy(() -> database.open(fixture.newClusterId())).isInstanceOf(HistoryUnavailableException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
