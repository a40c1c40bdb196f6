package io.flowraft.coordinator.history;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.coordinator.api.mapping.HistoryViews;
import io.flowraft.coordinator.api.mapping.WorkflowViews;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.EngineHarness;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.testing.HistoryFixture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the exporter writes to PostgreSQL reads back as the live state showed it: the workflow, every task at its
 * latest attempt, every history line once. Each story is exported two ways, after every command (many small
 * batches, as under a steady load) and once at the end (one batch after an outage), and both must read back alike.
 */
class ExportRoundTripTest {

    private static final String[] IDS = {"wf"};

    @RegisterExtension
    final HistoryFixture fixture = new HistoryFixture();

    /** Runs {@code story} on a fresh engine, exporting as it goes or only at the end, and compares. */
    private void roundTrip(Consumer<Exporting> story) {
        for (boolean eachStep : new boolean[] {true, false}) {
            HistoryStore store = fixture.database().open(fixture.newClusterId());
            Exporting exporting = new Exporting(new EngineHarness(), store, eachStep);
            story.accept(exporting);
            exporting.export();
            for (String id : IDS) {
                WorkflowView live = WorkflowViews.capture(exporting.harness.workflow(id)).toView(true);
                WorkflowView exported = WorkflowViews.fromHistory(store.workflow(id).orElseThrow()).toView(true);
                assertThat(withoutSource(exported)).as("exported %s", eachStep ? "step by step" : "at once")
                        .isEqualTo(withoutSource(live));
                WorkflowHistory liveHistory = HistoryViews.toView(id, exporting.harness.workflow(id).history(), true);
                assertThat(HistoryViews.fromHistory(id, store.history(id), true)).isEqualTo(liveHistory);
            }
        }
    }

    private static WorkflowView withoutSource(WorkflowView view) {
        return new WorkflowView(view.id(), view.definition(), view.status(), view.input(), view.tasks(),
                view.createdAt(), view.finishedAt(), null);
    }

    /** An engine whose committed changes go to a history store, as the leader's exporter takes them. */
    private static final class Exporting {
        final EngineHarness harness;
        final HistoryStore store;
        final boolean eachStep;

        Exporting(EngineHarness harness, HistoryStore store, boolean eachStep) {
            this.harness = harness;
            this.store = store;
            this.eachStep = eachStep;
        }

        /** After a command: exports now when exporting step by step. */
        Exporting step() {
            if (eachStep) {
                export();
            }
            return this;
        }

        /** Exports everything unexported, in batches of a few workflows, acknowledging each. */
        void export() {
            while (!harness.engine().state().unexported().isEmpty()) {
                ExportCapture capture = ExportCapture.take(harness.engine().state(), 2);
                store.write(ExportRows.of(capture));
                harness.send(new AcknowledgeExport(harness.now(), capture.throughIndex()));
            }
        }
    }

    @Test
    void shouldReadBackACompletedChainWithItsOutputs() {
        roundTrip(e -> {
            e.harness.submitKeyed("wf", "key-1", "{\"n\":1}", dag(task("a"), task("b").after("a"),
                    task("c").after("b").input("{\"from\":\"${tasks.a.output.v}\"}")));
            e.step();
            for (int i = 0; i < 3; i++) {
                GrantedLease lease = e.harness.leaseOne();
                e.step();
                e.harness.complete(lease.leaseId(), "{\"v\":" + i + "}");
                e.step();
            }
        });
    }

    @Test
    void shouldReadBackRetriedAttemptsAndALeaseThatExpired() {
        roundTrip(e -> {
            e.harness.submit("wf", dag(task("a").retry(3, 1_000, 2.0, 10_000)));
            e.step();
            GrantedLease first = e.harness.leaseOne();
            e.step();
            e.harness.fail(first.leaseId(), "boom", true);
            e.step();
            e.harness.advance(2_000);
            e.harness.leaseOne();
            e.step();
            e.harness.advance(EngineHarness.LEASE_MS + 1);
            e.harness.expire();
            e.step();
            e.harness.advance(10_000);
            GrantedLease third = e.harness.leaseOne();
            e.harness.complete(third.leaseId(), "{\"ok\":true}");
            e.step();
        });
    }

    @Test
    void shouldReadBackAFailureThatSkippedWhatCameAfterIt() {
        roundTrip(e -> {
            e.harness.submit("wf", dag(task("a"), task("b").after("a"), task("c").after("b"), task("d")));
            e.step();
            GrantedLease lease = e.harness.leaseOne();
            e.harness.fail(lease.leaseId(), "no retry", false);
            e.step();
            e.harness.runAll("{}");
            e.step();
        });
    }

    @Test
    void shouldReadBackACancelledWorkflowWithTasksThatNeverRan() {
        roundTrip(e -> {
            e.harness.submit("wf", dag(task("a"), task("b").after("a"), task("c").type("other")));
            e.step();
            e.harness.leaseOne();
            e.step();
            e.harness.cancel("wf");
            e.step();
        });
    }

    @Test
    void shouldReadBackBranchesSkippedByTheirConditions() {
        roundTrip(e -> {
            e.harness.submit("wf", "{\"express\":true}", dag(task("a"), task("ship").after("a").when("!input.express"),
                    task("fly").after("a").when("input.express"), task("notify").after("ship", "fly")
                            .trigger(io.flowraft.contracts.TriggerRule.NONE_FAILED)));
            e.step();
            e.harness.runAll("{}");
            e.step();
        });
    }

    @Test
    void shouldHoldEveryTaskFromTheFirstExportOn() {
        roundTrip(e -> {
            e.harness.submit("wf", dag(task("a"), task("b").after("a"), task("c").after("a", "b")));
            e.step();
        });
    }

    @Test
    void shouldReadBackARunningWorkflowAsItStandsAtTheExport() {
        roundTrip(e -> {
            e.harness.submit("wf", dag(task("a"), task("b").after("a")));
            e.step();
            GrantedLease lease = e.harness.leaseOne();
            e.step();
            e.harness.complete(lease.leaseId(), "{}");
            e.step();
            e.harness.leaseOne();
            e.step();
        });
    }
}
