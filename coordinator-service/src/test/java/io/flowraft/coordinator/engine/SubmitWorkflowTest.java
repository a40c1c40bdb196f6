package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.DefinitionRef;
import io.flowraft.coordinator.engine.state.HistoryKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmitWorkflowTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void shouldMakeRootTasksReadyAndLeaveTheRestPending() {
        // when
        var result = harness.submit("wf-1", dag(task("a"), task("b"), task("c").after("a", "b")));
        // then
        assertThat(result).isEqualTo(new WorkflowSubmitted("wf-1", true));
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.READY);
        assertThat(harness.status("wf-1", "b")).isEqualTo(TaskStatus.READY);
        assertThat(harness.status("wf-1", "c")).isEqualTo(TaskStatus.PENDING);
        assertThat(harness.workflow("wf-1").createdAt()).isEqualTo(harness.now());
        assertThat(harness.workflow("wf-1").history()).extracting(h -> h.kind())
                .containsExactly(HistoryKind.WORKFLOW_SUBMITTED, HistoryKind.TASK_READY, HistoryKind.TASK_READY);
    }

    @Test
    void shouldDefaultMissingInputToEmptyObject() {
        harness.send(new SubmitWorkflow(harness.now(), "wf-1", null, null, dag(task("a")), null));
        assertThat(harness.workflow("wf-1").input()).isEqualTo("{}");
        assertThat(harness.task("wf-1", "a").input()).isEqualTo("{}");
    }

    @Test
    void shouldReturnTheSameWorkflowForTheSameKeyAndRequest() {
        // given
        harness.submitKeyed("wf-1", "order-42", "{\"n\":1}", dag(task("a")));
        String digest = harness.engine().digest();
        // when the client retries with a new proposer-generated id
        var retry = harness.submitKeyed("wf-2", "order-42", "{\"n\":1}", dag(task("a")));
        // then
        assertThat(retry).isEqualTo(new WorkflowSubmitted("wf-1", false));
        assertThat(harness.workflow("wf-2")).isNull();
        assertThat(harness.engine().digest()).isEqualTo(digest);
    }

    @Test
    void shouldReturnTheSameWorkflowForTheSameKeyEvenAfterItFinished() {
        harness.submitKeyed("wf-1", "order-42", "{}", dag(task("a")));
        harness.runAll("{}");
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(harness.submitKeyed("wf-2", "order-42", "{}", dag(task("a"))))
                .isEqualTo(new WorkflowSubmitted("wf-1", false));
    }

    @Test
    void shouldRejectTheSameKeyWithADifferentRequest() {
        harness.submitKeyed("wf-1", "order-42", "{\"n\":1}", dag(task("a")));
        var rejection = rejection(harness.submitKeyed("wf-2", "order-42", "{\"n\":2}", dag(task("a"))));
        assertThat(rejection.type()).isEqualTo(ProblemType.IDEMPOTENCY_CONFLICT);
        assertThat(rejection.field()).isEqualTo("idempotencyKey");
        assertThat(rejection.message()).contains("wf-1");
        assertThat(harness.workflow("wf-2")).isNull();
    }

    @Test
    void shouldRejectAnExistingWorkflowId() {
        harness.submit("wf-1", dag(task("a")));
        var rejection = rejection(harness.submit("wf-1", dag(task("b"))));
        assertThat(rejection.type()).isEqualTo(ProblemType.WORKFLOW_ALREADY_EXISTS);
        assertThat(harness.workflow("wf-1").task("b")).isNull();
    }

    @Test
    void shouldRejectBadIdsAndKeys() {
        assertThat(rejection(harness.submit("wf.1", dag(task("a")))).field()).isEqualTo("workflowId");
        assertThat(rejection(harness.submitKeyed("wf-1", "key with spaces", "{}", dag(task("a")))).field())
                .isEqualTo("idempotencyKey");
        assertThat(harness.engine().state().workflows()).isEmpty();
    }

    @Test
    void shouldRequireExactlyOneOfDefinitionAndTasks() {
        harness.register("orders", 0, dag(task("a")));
        var both = harness.send(new SubmitWorkflow(harness.now(), "wf-1", null, new DefinitionRef("orders", 0),
                dag(task("a")), "{}"));
        var neither = harness.send(new SubmitWorkflow(harness.now(), "wf-1", null, null, null, "{}"));
        assertThat(rejection(both).field()).isEqualTo("definition");
        assertThat(rejection(neither).field()).isEqualTo("definition");
    }

    @Test
    void shouldRejectOversizedInput() {
        EngineHarness small = new EngineHarness(new Engine(new EngineLimits(10, 32, 8, 1024, 8, 100)));
        var rejection = rejection(small.submit("wf", "{\"x\":\"" + "y".repeat(40) + "\"}", dag(task("a"))));
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.field()).isEqualTo("input");
    }

    @Test
    void shouldCompleteAtOnceWhenEveryRootIsSkipped() {
        // given a single task whose condition is false
        harness.submit("wf-1", "{\"vip\":false}", dag(task("a").when("input.vip")));
        // then
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(harness.workflow("wf-1").finishedAt()).isEqualTo(harness.now());
    }

    @Test
    void shouldRenderRootInputFromWorkflowInput() {
        harness.submit("wf-1", "{\"customer\":{\"id\":7}}",
                dag(task("a").input("{\"customerId\":\"${input.customer.id}\"}")));
        assertThat(harness.task("wf-1", "a").input()).isEqualTo("{\"customerId\":7}");
        assertThat(harness.leaseOne().input()).isEqualTo("{\"customerId\":7}");
    }

    @Test
    void shouldStoreTasksInSpecOrder() {
        harness.submit("wf-1", dag(task("z"), task("a"), task("m").after("z")));
        assertThat(harness.workflow("wf-1").tasks()).extracting(t -> t.taskId()).containsExactly("z", "a", "m");
        assertThat(List.of(harness.status("wf-1", "z"), harness.status("wf-1", "m")))
                .containsExactly(TaskStatus.READY, TaskStatus.PENDING);
    }
}
