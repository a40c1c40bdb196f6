package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.codec.CodecException;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.codec.UnsupportedFormatException;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots, digests and replay: the engine's half of the determinism guarantee. */
class SnapshotAndDeterminismTest {

    /** A workload touching every kind of state: definitions, keys, leases, retries, skips, cancels, polls. */
    private static void workload(EngineHarness h) {
        h.register("orders", 0, dag(task("charge").concurrency("bank", 5), task("ship").after("charge"),
                task("notify").after("ship").when("input.notify").input("{\"to\":\"${input.email}\"}")));
        h.submitDefinition("wf-1", "orders", 0, "{\"notify\":true,\"email\":\"a@b.c\"}");
        h.submitKeyed("wf-2", "key-2", "{}", dag(task("a").retry(3, 1_000, 2.0, 10_000), task("b").after("a"),
                task("c").after("a").trigger(TriggerRule.ALL_DONE)));
        h.submit("wf-3", dag(task("x"), task("y")));
        h.advance(10);
        List<GrantedLease> leases = ((CommandResult.LeasesGranted) h.leaseResult("w1", 3, "p1", "work")).leases();
        h.complete(leases.get(0).leaseId(), "{\"paid\":true}");
        h.fail(leases.get(1).leaseId(), "flaky", true);
        h.advance(5).heartbeat(leases.get(2).leaseId());
        h.cancel("wf-3");
        h.advance(31_000).expire();
    }

    @Test
    void shouldReachTheSameDigestOnTwoEnginesFedTheSameCommands() {
        EngineHarness first = new EngineHarness();
        workload(first);
        Engine second = new Engine();
        long index = 0;
        for (Command command : first.log()) {
            second.apply(++index, CommandCodec.decode(CommandCodec.encode(command)));
        }
        assertThat(second.digest()).isEqualTo(first.engine().digest());
        assertThat(second.snapshot()).isEqualTo(first.engine().snapshot());
    }

    /**
     * Report exchanges: reports, then a lease that prefers their workflows (the {@code next} poll of
     * {@code POST /api/v1/reports}), retried under its poll id, beside an older READY task.
     */
    private static List<GrantedLease> exchangeWorkload(EngineHarness h) {
        h.submit("wf-c", dag(task("x").concurrency("bank", 1)));
        h.submit("wf-a", dag(task("x").type("prep"), task("y").after("x")));
        h.submit("wf-b", dag(task("x").type("prep"), task("y").after("x").concurrency("bank", 1),
                task("z").after("x")));
        h.advance(10);
        List<GrantedLease> prep = h.lease("w1", 2, "prep");
        h.complete(prep.get(1).leaseId(), "{}");
        h.complete(prep.get(0).leaseId(), "{}");
        LeaseTasks exchange = new LeaseTasks(h.now(), "w1", "exchange", List.of("work"), 3, EngineHarness.LEASE_MS,
                "ex-1", "alice", List.of("wf-b", "wf-a", "wf-b"));
        List<GrantedLease> granted = ((CommandResult.LeasesGranted) h.send(exchange)).leases();
        h.send(exchange);
        h.advance(5).complete(granted.getFirst().leaseId(), "{}");
        return granted;
    }

    @Test
    void shouldReachTheSameDigestOnTwoEnginesFedTheSameExchangesThatPreferWorkflows() {
        // given an engine fed report exchanges whose leases prefer the reported workflows
        EngineHarness first = new EngineHarness();
        List<GrantedLease> granted = exchangeWorkload(first);
        assertThat(granted).extracting(GrantedLease::workflowId, GrantedLease::taskId)
                .containsExactly(tuple("wf-b", "y"), tuple("wf-b", "z"), tuple("wf-a", "y"));
        // when the same log is replayed through the codec into another engine, and a third restores a snapshot
        Engine second = new Engine();
        long index = 0;
        for (Command command : first.log()) {
            second.apply(++index, CommandCodec.decode(CommandCodec.encode(command)));
        }
        Engine restored = Engine.restore(first.engine().snapshot());
        // then all three hold the same state
        assertThat(second.digest()).isEqualTo(first.engine().digest());
        assertThat(second.snapshot()).isEqualTo(first.engine().snapshot());
        assertThat(restored.digest()).isEqualTo(first.engine().digest());
    }

    @Test
    void shouldContinueExchangesFromARestoredSnapshotExactlyAsWithoutIt() {
        // given two harnesses running the same exchanges, one restored from a snapshot midway
        EngineHarness plain = new EngineHarness();
        EngineHarness restored = new EngineHarness();
        exchangeWorkload(plain);
        exchangeWorkload(restored);
        restored.restoreFromSnapshot();
        // when both go on with another exchange, then run everything
        for (EngineHarness h : List.of(plain, restored)) {
            h.advance(60_000).expire();
            h.send(new LeaseTasks(h.now(), "w2", null, List.of("work"), 2, EngineHarness.LEASE_MS, "ex-2", null,
                    List.of("wf-a", "wf-c")));
            h.runAll("{}");
        }
        // then
        assertThat(restored.engine().digest()).isEqualTo(plain.engine().digest());
        assertThat(restored.engine().snapshot()).isEqualTo(plain.engine().snapshot());
    }

    @Test
    void shouldRestoreASnapshotToTheSameDigest() {
        EngineHarness harness = new EngineHarness();
        workload(harness);
        Engine restored = Engine.restore(harness.engine().snapshot());
        assertThat(restored.digest()).isEqualTo(harness.engine().digest());
        assertThat(restored.state().lastAppliedIndex()).isEqualTo(harness.index());
    }

    @Test
    void shouldContinueFromARestoredSnapshotExactlyAsWithoutIt() {
        // given two harnesses running the same workload, one restored from a snapshot midway
        EngineHarness plain = new EngineHarness();
        EngineHarness restored = new EngineHarness();
        workload(plain);
        workload(restored);
        restored.restoreFromSnapshot();
        // when both go on the same way
        for (EngineHarness h : List.of(plain, restored)) {
            h.advance(60_000);
            h.runAll("{\"ok\":1}");
            h.submit("wf-4", dag(task("z")));
            h.runAll("{}");
        }
        // then
        assertThat(restored.engine().digest()).isEqualTo(plain.engine().digest());
        assertThat(restored.engine().state().nextDueTime()).isEqualTo(plain.engine().state().nextDueTime());
    }

    @Test
    void shouldChangeTheDigestWhenStateChanges() {
        EngineHarness harness = new EngineHarness();
        harness.submit("wf-1", dag(task("a")));
        String before = harness.engine().digest();
        harness.leaseOne();
        assertThat(harness.engine().digest()).isNotEqualTo(before).hasSize(64);
    }

    @Test
    void shouldRoundTripEveryCommandThroughTheCodec() {
        EngineHarness harness = new EngineHarness();
        workload(harness);
        for (Command command : harness.log()) {
            assertThat(CommandCodec.decode(CommandCodec.encode(command))).isEqualTo(command);
        }
        assertThat(harness.log()).extracting(c -> c.getClass().getSimpleName()).containsAll(
                List.of("RegisterDefinition", "SubmitWorkflow", "LeaseTasks", "CompleteTask", "FailTask", "Heartbeat",
                        "ExpireLeases", "CancelWorkflow"));
    }

    @Test
    void shouldRefuseCorruptOrUnknownEncodings() {
        EngineHarness harness = new EngineHarness();
        workload(harness);
        byte[] snapshot = harness.engine().snapshot();
        assertThatThrownBy(() -> Engine.restore(Arrays.copyOf(snapshot, snapshot.length - 3)))
                .isInstanceOf(CodecException.class);
        byte[] newerVersion = snapshot.clone();
        newerVersion[7] = 99;
        assertThatThrownBy(() -> Engine.restore(newerVersion))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("snapshot format 99")
                .hasMessageContaining("Upgrade this node");
        byte[] command = CommandCodec.encode(harness.log().getFirst());
        command[1] = 120;
        assertThatThrownBy(() -> CommandCodec.decode(command)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("command tag 120").hasMessageContaining("Upgrade this node");
    }
}
