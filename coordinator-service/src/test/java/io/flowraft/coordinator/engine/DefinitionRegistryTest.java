package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult.DefinitionRegistered;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionRegistryTest {

    private final EngineHarness harness = new EngineHarness();
    private final List<TaskSpec> v1 = dag(task("charge"), task("ship").after("charge"));
    private final List<TaskSpec> v2 = dag(task("charge"), task("ship").after("charge"), task("notify").after("ship"));

    @Test
    void shouldRegisterFirstVersionAsOneWhenNoVersionIsGiven() {
        assertThat(harness.register("orders", 0, v1)).isEqualTo(new DefinitionRegistered("orders", 1, true));
        assertThat(harness.engine().state().latestDefinition("orders").definition().tasks()).isEqualTo(v1);
    }

    @Test
    void shouldTreatRegisteringTheSameContentAgainAsNoOp() {
        // given
        harness.register("orders", 0, v1);
        String digest = harness.engine().digest();
        // when
        var again = harness.register("orders", 0, v1);
        var explicit = harness.register("orders", 1, v1);
        // then
        assertThat(again).isEqualTo(new DefinitionRegistered("orders", 1, false));
        assertThat(explicit).isEqualTo(new DefinitionRegistered("orders", 1, false));
        assertThat(harness.engine().state().definitions().get("orders")).hasSize(1);
        assertThat(harness.engine().digest()).isEqualTo(digest);
    }

    @Test
    void shouldRegisterNextVersionWhenContentChanges() {
        harness.register("orders", 0, v1);
        assertThat(harness.register("orders", 0, v2)).isEqualTo(new DefinitionRegistered("orders", 2, true));
        assertThat(harness.engine().state().latestDefinition("orders").definition().version()).isEqualTo(2);
    }

    @Test
    void shouldRejectOtherContentUnderAnExistingVersion() {
        // given
        harness.register("orders", 1, v1);
        // when
        Rejection rejection = rejection(harness.register("orders", 1, v2));
        // then
        assertThat(rejection.type()).isEqualTo(ProblemType.DEFINITION_CONFLICT);
        assertThat(rejection.field()).isEqualTo("version");
        assertThat(harness.engine().state().definition("orders", 1).definition().tasks()).isEqualTo(v1);
    }

    @Test
    void shouldRejectInvalidNameAndNegativeVersion() {
        assertThat(rejection(harness.register("orders@2", 0, v1)).field()).isEqualTo("name");
        assertThat(rejection(harness.register("orders", -1, v1)).field()).isEqualTo("version");
        assertThat(harness.engine().state().definitions()).isEmpty();
    }

    @Test
    void shouldRejectInvalidDagAtRegistration() {
        Rejection rejection = rejection(harness.register("orders", 0, dag(task("a").after("a"))));
        assertThat(rejection.type()).isEqualTo(ProblemType.INVALID_DAG);
        assertThat(harness.engine().state().definitions()).isEmpty();
    }

    @Test
    void shouldStartWorkflowFromLatestOrPinnedVersion() {
        // given two versions
        harness.register("orders", 0, v1);
        harness.register("orders", 0, v2);
        // when
        harness.submitDefinition("latest", "orders", 0, "{}");
        harness.submitDefinition("pinned", "orders", 1, "{}");
        // then
        assertThat(harness.workflow("latest").definitionRef()).isEqualTo("orders@2");
        assertThat(harness.workflow("latest").tasks()).hasSize(3);
        assertThat(harness.workflow("pinned").definitionRef()).isEqualTo("orders@1");
        assertThat(harness.workflow("pinned").tasks()).hasSize(2);
        assertThat(harness.status("pinned", "charge")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldShareTheDefinitionsPlanBetweenWorkflows() {
        harness.register("orders", 0, v1);
        harness.submitDefinition("a", "orders", 0, "{}");
        harness.submitDefinition("b", "orders", 0, "{}");
        assertThat(harness.workflow("a").plan()).isSameAs(harness.workflow("b").plan());
    }

    @Test
    void shouldRejectUnknownDefinition() {
        harness.register("orders", 0, v1);
        assertThat(rejection(harness.submitDefinition("a", "invoices", 0, "{}")).type())
                .isEqualTo(ProblemType.DEFINITION_NOT_FOUND);
        Rejection missingVersion = rejection(harness.submitDefinition("a", "orders", 7, "{}"));
        assertThat(missingVersion.type()).isEqualTo(ProblemType.DEFINITION_NOT_FOUND);
        assertThat(missingVersion.message()).contains("orders@7");
    }
}
