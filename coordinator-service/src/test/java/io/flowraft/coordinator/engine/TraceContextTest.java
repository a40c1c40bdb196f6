package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.Commands;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A workflow's trace context: kept from the submit, handed out with its leases, replayed and restored alike. */
class TraceContextTest {

    private static final String TRACED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final EngineHarness harness = new EngineHarness();

    private CommandResult submit(String workflowId, String traceParent) {
        return harness.send(new SubmitWorkflow(harness.now(), workflowId, null, null,
                dag(task("a"), task("b").after("a")), "{}", traceParent));
    }

    @Test
    void shouldKeepTheTraceContextOfTheSubmitAndHandItOutWithEveryLease() {
        // when
        submit("wf-1", TRACED);
        // then
        assertThat(harness.workflow("wf-1").traceParent()).isEqualTo(TRACED);
        GrantedLease first = harness.leaseOne();
        assertThat(first.traceParent()).isEqualTo(TRACED);
        harness.complete(first.leaseId(), "{}");
        assertThat(harness.leaseOne().traceParent()).isEqualTo(TRACED);
    }

    @Test
    void shouldDropAMalformedTraceContextAndStillStartTheWorkflow() {
        for (String bad : List.of("garbage", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",
                "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")) {
            String id = "wf-" + Integer.toHexString(bad.hashCode());
            assertThat(submit(id, bad)).isEqualTo(new WorkflowSubmitted(id, true));
            assertThat(harness.workflow(id).traceParent()).as(bad).isNull();
        }
    }

    @Test
    void shouldNotCountTheTraceContextInWhatMakesTwoSubmitsTheSameRequest() {
        // given a keyed submit in one trace
        harness.send(new SubmitWorkflow(harness.now(), "wf-1", "key-1", null, dag(task("a")), "{}", TRACED));
        // when the client retries it in another trace
        CommandResult retry = harness.send(new SubmitWorkflow(harness.now(), "wf-2", "key-1", null, dag(task("a")), "{}",
                "00-11111111111111111111111111111111-2222222222222222-01"));
        // then it is the same workflow, still in the first trace
        assertThat(retry).isEqualTo(new WorkflowSubmitted("wf-1", false));
        assertThat(harness.workflow("wf-1").traceParent()).isEqualTo(TRACED);
    }

    @Test
    void shouldReplayAndRestoreTracedWorkflowsToTheSameDigest() {
        // given traced and untraced workflows, one of them half run
        submit("wf-traced", TRACED);
        submit("wf-plain", null);
        harness.complete(harness.leaseOne().leaseId(), "{\"ok\":true}");
        // when the log is replayed through the codec on another engine, and the snapshot restored
        Engine replayed = new Engine();
        long index = 0;
        for (Command command : harness.log()) {
            replayed.apply(++index, CommandCodec.decode(CommandCodec.encode(command)));
        }
        Engine restored = Engine.restore(harness.engine().snapshot());
        // then all three hold the same state
        assertThat(replayed.digest()).isEqualTo(harness.engine().digest());
        assertThat(restored.digest()).isEqualTo(harness.engine().digest());
        assertThat(restored.state().heldBytes()).isEqualTo(harness.engine().state().heldBytes());
        assertThat(restored.state().workflow("wf-traced").traceParent()).isEqualTo(TRACED);
        assertThat(replayed.state().workflow("wf-traced").traceParent()).isEqualTo(TRACED);
        assertThat(restored.state().workflow("wf-plain").traceParent()).isNull();
    }

    @Test
    void shouldGiveADifferentDigestForADifferentTraceContext() {
        EngineHarness other = new EngineHarness();
        submit("wf-1", TRACED);
        other.send(new SubmitWorkflow(other.now(), "wf-1", null, null, dag(task("a"), task("b").after("a")), "{}",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203332-01"));
        assertThat(other.engine().digest()).isNotEqualTo(harness.engine().digest());
    }

    /** Regression: stamping a submit with the leader's clock dropped its trace context. */
    @Test
    void shouldKeepTheTraceContextWhenTheLeaderStampsTheSubmit() {
        SubmitWorkflow unstamped = new SubmitWorkflow(0L, "wf-1", null, null, dag(task("a")), "{}", TRACED);
        assertThat(((SubmitWorkflow) Commands.stamp(unstamped, 42L)).traceParent()).isEqualTo(TRACED);
    }

    @Test
    void shouldWriteAnUntracedSubmitInTheFormatItHadBeforeTraces() {
        SubmitWorkflow plain = new SubmitWorkflow(1L, "wf-1", null, null, dag(task("a")), "{}");
        SubmitWorkflow traced = new SubmitWorkflow(1L, "wf-1", null, null, dag(task("a")), "{}", TRACED);
        byte[] plainBytes = CommandCodec.encode(plain);
        assertThat(plainBytes[1]).isEqualTo((byte) 2); // the tag of format 1's SubmitWorkflow
        assertThat(CommandCodec.decode(plainBytes)).isEqualTo(plain);
        assertThat(CommandCodec.decode(CommandCodec.encode(traced))).isEqualTo(traced);
    }
}
