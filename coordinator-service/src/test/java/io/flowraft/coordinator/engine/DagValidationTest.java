package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a DAG can be rejected at submit, each with its problem type, field and a message that says why. */
class DagValidationTest {

    private final EngineHarness harness = new EngineHarness();

    private Rejection submitRejected(List<TaskSpec> tasks) {
        Rejection rejection = rejection(harness.submit("wf-1", tasks));
        assertThat(harness.workflow("wf-1")).as("nothing is created by a rejected submit").isNull();
        return rejection;
    }

    @Test
    void shouldRejectEmptyDag() {
        // when
        Rejection rejection = submitRejected(List.of());
        // then
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_DAG);
        assertThat(rejection.field()).isEqualTo("tasks");
        assertThat(rejection.message()).contains("at least one task");
    }

    @Test
    void shouldRejectDuplicateTaskIds() {
        Rejection rejection = submitRejected(dag(task("a"), task("b"), task("a")));
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_DAG);
        assertThat(rejection.field()).isEqualTo("tasks[2].id");
        assertThat(rejection.message()).contains("Duplicate task id 'a'").contains("tasks[0]");
    }

    @Test
    void shouldRejectTaskIdWithForbiddenCharacters() {
        Rejection rejection = submitRejected(dag(task("../etc")));
        assertThat(rejection.field()).isEqualTo("tasks[0].id");
        assertThat(rejection.message()).contains("[a-zA-Z0-9_-]{1,64}");
    }

    @Test
    void shouldRejectTaskIdLongerThan64Characters() {
        Rejection rejection = submitRejected(dag(task("x".repeat(65))));
        assertThat(rejection.field()).isEqualTo("tasks[0].id");
    }

    @Test
    void shouldRejectUnknownDependency() {
        Rejection rejection = submitRejected(dag(task("a"), task("b").after("ghost")));
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_DAG);
        assertThat(rejection.field()).isEqualTo("tasks[1].dependsOn[0]");
        assertThat(rejection.message()).contains("unknown task 'ghost'");
    }

    @Test
    void shouldRejectSelfDependency() {
        Rejection rejection = submitRejected(dag(task("a").after("a")));
        assertThat(rejection.field()).isEqualTo("tasks[0].dependsOn[0]");
        assertThat(rejection.message()).contains("depends on itself");
    }

    @Test
    void shouldRejectRepeatedDependency() {
        Rejection rejection = submitRejected(dag(task("a"), task("b").after("a", "a")));
        assertThat(rejection.field()).isEqualTo("tasks[1].dependsOn[1]");
    }

    @Test
    void shouldNameTheCyclePath() {
        // given a -> b -> c -> a, plus an innocent root
        Rejection rejection = submitRejected(
                dag(task("root"), task("a").after("c"), task("b").after("a"), task("c").after("b")));
        // then
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_DAG);
        assertThat(rejection.message()).contains("cycle");
        String path = rejection.message().substring(rejection.message().indexOf(": ") + 2);
        List<String> nodes = List.of(path.split(" -> "));
        assertThat(nodes).hasSize(4);
        assertThat(nodes.getFirst()).isEqualTo(nodes.getLast());
        assertThat(nodes).containsAll(List.of("a", "b", "c")).doesNotContain("root");
    }

    @Test
    void shouldRejectTwoTaskCycle() {
        Rejection rejection = submitRejected(dag(task("a").after("b"), task("b").after("a")));
        assertThat(rejection.message()).matches(".*cycle: (a -> b -> a|b -> a -> b)");
    }

    @Test
    void shouldRejectMoreTasksThanTheLimit() {
        // given an engine limited to 3 tasks per DAG
        EngineHarness small = new EngineHarness(new Engine(new EngineLimits(3, 1024, 64, 1024, 8, 100)));
        // when
        Rejection rejection = rejection(small.submit("wf", dag(task("a"), task("b"), task("c"), task("d"))));
        // then
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.message()).contains("at most 3 tasks").contains("has 4");
    }

    @Test
    void shouldAcceptExactlyTheTaskLimit() {
        EngineHarness small = new EngineHarness(new Engine(new EngineLimits(3, 1024, 64, 1024, 8, 100)));
        assertThat(small.submit("wf", dag(task("a"), task("b"), task("c"))))
                .isInstanceOf(CommandResult.WorkflowSubmitted.class);
    }

    @Test
    void shouldRejectTooManyDependencies() {
        EngineHarness small = new EngineHarness(new Engine(new EngineLimits(100, 1024, 2, 1024, 8, 100)));
        Rejection rejection = rejection(small.submit("wf",
                dag(task("a"), task("b"), task("c"), task("d").after("a", "b", "c"))));
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.field()).isEqualTo("tasks[3].dependsOn");
    }

    @Test
    void shouldRejectOversizedTaskInput() {
        EngineHarness small = new EngineHarness(new Engine(new EngineLimits(100, 64, 8, 1024, 8, 100)));
        Rejection rejection = rejection(small.submit("wf",
                dag(task("a").input("{\"blob\":\"" + "x".repeat(100) + "\"}"))));
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.field()).isEqualTo("tasks[0].input");
    }

    @Test
    void shouldRejectRetryPolicyOutOfRange() {
        assertThat(submitRejected(dag(task("a").retry(0, 1000, 2.0, 5000))).field())
                .isEqualTo("tasks[0].retry.maxAttempts");
        assertThat(submitRejected(dag(task("a").retry(3, 1000, Double.NaN, 5000))).field())
                .isEqualTo("tasks[0].retry.multiplier");
        assertThat(submitRejected(dag(task("a").retry(3, -1, 2.0, 5000))).field())
                .isEqualTo("tasks[0].retry.initialBackoffMs");
        assertThat(submitRejected(dag(task("a").retry(3, 1000, 2.0, 10))).field())
                .isEqualTo("tasks[0].retry.maxBackoffMs");
    }

    @Test
    void shouldRejectNonPositiveTimeout() {
        Rejection rejection = submitRejected(dag(task("a").timeoutMs(-1)));
        assertThat(rejection.field()).isEqualTo("tasks[0].timeoutMs");
    }

    @Test
    void shouldRejectConditionThatDoesNotCompile() {
        Rejection rejection = submitRejected(dag(task("a").when("input.amount >")));
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_CONDITION);
        assertThat(rejection.field()).isEqualTo("tasks[0].when");
        assertThat(rejection.message()).contains("Condition of task 'a' is invalid");
    }

    @Test
    void shouldRejectConditionThatIsNotBoolean() {
        Rejection rejection = submitRejected(dag(task("a").when("1 + 2")));
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_CONDITION);
    }

    @Test
    void shouldRejectInputTemplateReferencingATaskThatIsNotUpstream() {
        // given b reads the output of c, which runs in parallel with it
        Rejection rejection = submitRejected(dag(task("a"),
                task("b").after("a").input("{\"x\":\"${tasks.c.output.id}\"}"),
                task("c").after("a")));
        // then
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_INPUT_TEMPLATE);
        assertThat(rejection.field()).isEqualTo("tasks[1].input");
        assertThat(rejection.message()).contains("c");
    }

    @Test
    void shouldAcceptInputTemplateReferencingATransitiveAncestor() {
        assertThat(harness.submit("wf-1", dag(task("a"), task("b").after("a"),
                task("c").after("b").input("{\"x\":\"${tasks.a.output.id}\"}"))))
                .isInstanceOf(CommandResult.WorkflowSubmitted.class);
    }

    @Test
    void shouldAcceptSecretReferencesAndKeepThemInTheRenderedInput() {
        // given a definition whose task input references a secret, whole and embedded
        String input = "{\"token\":\"${secrets.API_TOKEN}\",\"auth\":\"Bearer ${secrets.API_TOKEN}\",\"id\":\"${input.id}\"}";
        assertThat(harness.register("calls", 1, dag(task("call").input(input))))
                .isInstanceOf(CommandResult.DefinitionRegistered.class);
        // when a workflow of it starts
        assertThat(harness.submitDefinition("wf-1", "calls", 1, "{\"id\":\"o-1\"}"))
                .isInstanceOf(CommandResult.WorkflowSubmitted.class);
        // then the engine kept the references as text: only workers resolve them
        assertThat(harness.task("wf-1", "call").input())
                .isEqualTo("{\"token\":\"${secrets.API_TOKEN}\",\"auth\":\"Bearer ${secrets.API_TOKEN}\",\"id\":\"o-1\"}");
    }

    @Test
    void shouldRejectInvalidConcurrencyLimit() {
        Rejection rejection = submitRejected(dag(task("a").concurrency("db", 0)));
        assertThat(rejection.field()).isEqualTo("tasks[0].concurrency");
    }

    @Test
    void shouldRejectMissingTriggerAndRetry() {
        List<TaskSpec> noTrigger = new ArrayList<>(dag(task("a")));
        TaskSpec a = noTrigger.getFirst();
        noTrigger.set(0, new TaskSpec("a", "work", List.of(), null, null, null, a.retry(), a.timeoutMs(), null));
        assertThat(submitRejected(noTrigger).field()).isEqualTo("tasks[0].trigger");
        List<TaskSpec> noRetry = List.of(new TaskSpec("a", "work", List.of(), null, null, a.trigger(), null,
                a.timeoutMs(), null));
        assertThat(submitRejected(noRetry).field()).isEqualTo("tasks[0].retry");
    }
}
