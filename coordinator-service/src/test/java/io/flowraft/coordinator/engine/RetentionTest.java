package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.ExportPosition;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LimitsSet;
import io.flowraft.coordinator.engine.CommandResult.RetentionApplied;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replicated state keeps only what is live: finished workflows leave once exported and past their
 * retention, kept idempotency keys expire, poll records go once their leases are gone; never anything not yet
 * exported. Deterministic: replaying the log and restoring a snapshot give the same state.
 */
class RetentionTest {

    private static final long MINUTE = 60_000;
    private static final Retention SHORT = new Retention(10 * MINUTE, 60 * MINUTE);

    private final EngineHarness harness = new EngineHarness();

    private void retain(Retention retention) {
        assertThat(harness.send(new ConfigureEngine(harness.now(), EngineLimits.DEFAULT, retention, null, false)))
                .isInstanceOf(LimitsSet.class);
    }

    private ExportPosition exportAll() {
        return (ExportPosition) harness.send(new AcknowledgeExport(harness.now(), Long.MAX_VALUE));
    }

    private RetentionApplied applyRetention() {
        return (RetentionApplied) harness.send(new ApplyRetention(harness.now()));
    }

    @Test
    void shouldEvictAFinishedWorkflowOnlyOnceExportedAndPastItsRetention() {
        // given a finished workflow and a running one
        retain(SHORT);
        harness.submitKeyed("wf-done", "key-done", "{}", dag(task("a")));
        harness.runAll("{}");
        harness.submit("wf-running", dag(task("a").type("other")));
        long held = harness.engine().state().heldBytes();
        // when its retention passes but nothing was exported, then it stays
        harness.advance(11 * MINUTE);
        assertThat(applyRetention().workflowsEvicted()).isZero();
        assertThat(harness.workflow("wf-done")).isNotNull();
        assertThat(harness.engine().state().unexported()).isNotEmpty();
        // when it is exported, then it leaves, the running one stays, and the state holds less
        exportAll();
        assertThat(harness.engine().state().unexported()).isEmpty();
        assertThat(applyRetention().workflowsEvicted()).isEqualTo(1);
        assertThat(harness.workflow("wf-done")).isNull();
        assertThat(harness.workflow("wf-running")).isNotNull();
        assertThat(harness.engine().state().heldBytes()).isLessThan(held);
    }

    @Test
    void shouldNotEvictBeforeTheRetentionHasPassed() {
        retain(SHORT);
        harness.submit("wf-1", dag(task("a")));
        harness.runAll("{}");
        exportAll();
        harness.advance(9 * MINUTE);
        assertThat(applyRetention().workflowsEvicted()).isZero();
        harness.advance(MINUTE);
        assertThat(applyRetention().workflowsEvicted()).isEqualTo(1);
    }

    @Test
    void shouldAnswerARepeatFromTheKeptKeyAfterEvictionUntilTheKeyExpires() {
        // given a keyed workflow evicted after 10 minutes
        retain(SHORT);
        harness.submitKeyed("wf-1", "order-7", "{\"n\":1}", dag(task("a")));
        harness.runAll("{}");
        exportAll();
        harness.advance(11 * MINUTE);
        applyRetention();
        assertThat(harness.workflow("wf-1")).isNull();
        // when the same request is repeated, then it answers the first workflow; another request under the key is
        // a conflict
        assertThat(harness.submitKeyed("wf-2", "order-7", "{\"n\":1}", dag(task("a"))))
                .isEqualTo(new WorkflowSubmitted("wf-1", false));
        assertThat(rejection(harness.submitKeyed("wf-3", "order-7", "{\"n\":2}", dag(task("a")))).type())
                .isEqualTo(ProblemType.IDEMPOTENCY_CONFLICT);
        // when the key's retention passes, then a repeat starts a new workflow
        harness.advance(60 * MINUTE);
        assertThat(applyRetention().keysExpired()).isEqualTo(1);
        assertThat(harness.submitKeyed("wf-4", "order-7", "{\"n\":1}", dag(task("a"))))
                .isEqualTo(new WorkflowSubmitted("wf-4", true));
    }

    @Test
    void shouldDropAPollRecordOnceNoneOfItsLeasesIsHeld() {
        harness.submit("wf-1", dag(task("a"), task("b")));
        harness.send(new LeaseTasks(harness.now(), "w", "loop", List.of("work"), 2, EngineHarness.LEASE_MS, "p-1"));
        List<GrantedLease> leases = harness.engine().state().polls().firstEntry().getValue().leaseIds().stream()
                .map(id -> new GrantedLease(id, "wf-1", null, null, 0, null, null, 0, 0)).toList();
        harness.complete(leases.get(0).leaseId(), "{}");
        assertThat(applyRetention().pollRecordsDropped()).isZero();
        harness.complete(leases.get(1).leaseId(), "{}");
        assertThat(applyRetention().pollRecordsDropped()).isEqualTo(1);
        assertThat(harness.engine().state().polls()).isEmpty();
    }

    @Test
    void shouldMoveTheExportPositionOnlyForwardAndNeverPastItself() {
        harness.submit("wf-1", dag(task("a")));
        long index = harness.index();
        assertThat(exportAll().exportedThrough()).isEqualTo(index); // capped at the entry before the ack
        assertThat(((ExportPosition) harness.send(new AcknowledgeExport(harness.now(), 1))).exportedThrough())
                .isEqualTo(index);
    }

    @Test
    void shouldNameTheClusterOnce() {
        harness.send(new ConfigureEngine(harness.now(), EngineLimits.DEFAULT, null, "first", true));
        harness.send(new ConfigureEngine(harness.now(), EngineLimits.DEFAULT, null, "second", true));
        assertThat(harness.engine().state().clusterId()).isEqualTo("first");
    }

    @Test
    void shouldSayHistoryBacklogWhenOnlyTheExportHoldsTheStateFull() {
        // given a small state budget, and finished workflows past retention that were never exported
        EngineLimits small = new EngineLimits(1_000, 256 * 1024, 64, 4 * 1024, 32, 1_000, 512 * 1024, 600 * 1024);
        harness.send(new ConfigureEngine(harness.now(), small, SHORT, null, false));
        String input = "{\"blob\":\"" + "x".repeat(200 * 1024) + "\"}";
        harness.submit("wf-1", input, dag(task("a")));
        harness.submit("wf-2", input, dag(task("a")));
        harness.runAll("{}");
        harness.advance(11 * MINUTE);
        // when another is submitted, then the refusal says the export is behind
        assertThat(rejection(harness.submit("wf-3", input, dag(task("a")))).type())
                .isEqualTo(ProblemType.HISTORY_BACKLOG);
        // and once the export catches up and retention runs, there is room again
        exportAll();
        applyRetention();
        assertThat(harness.submit("wf-3", input, dag(task("a")))).isInstanceOf(WorkflowSubmitted.class);
    }

    @Test
    void shouldReachTheSameStateByReplayAndBySnapshotWithEvictions() {
        // given a log with submits, exports, evictions and kept keys, restored from a snapshot half-way
        retain(SHORT);
        for (int i = 0; i < 6; i++) {
            harness.submitKeyed("wf-" + i, "k-" + i, "{}", dag(task("a"), task("b").after("a")));
        }
        harness.runAll("{\"ok\":true}");
        exportAll();
        harness.advance(11 * MINUTE);
        applyRetention();
        harness.restoreFromSnapshot();
        harness.submitKeyed("wf-9", "k-9", "{}", dag(task("a")));
        harness.advance(70 * MINUTE);
        applyRetention();
        // when the whole log is replayed on a fresh engine
        EngineHarness replay = new EngineHarness();
        harness.log().forEach(replay::send);
        // then both hold the same state, counted the same
        assertThat(replay.engine().digest()).isEqualTo(harness.engine().digest());
        assertThat(replay.engine().state().heldBytes()).isEqualTo(harness.engine().state().heldBytes());
        assertThat(Engine.restore(harness.engine().snapshot()).digest()).isEqualTo(harness.engine().digest());
        assertThat(harness.engine().state().workflows().keySet()).containsExactly("wf-9");
    }
}
