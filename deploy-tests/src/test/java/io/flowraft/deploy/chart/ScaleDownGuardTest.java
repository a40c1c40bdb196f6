package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart refuses an upgrade that removes a majority of the installed voters at once (the retain-peers hook
 * would lose quorum on the way), reading the installed replica count with {@code lookup} from the
 * {@link io.flowraft.deploy.kube.FakeKubernetesApi fake cluster}.
 */
class ScaleDownGuardTest {

    private final HelmChart chart = HelmChart.flowraft();

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"3, 1", "5, 2", "5, 1", "7, 3"})
    void shouldRefuseToRemoveAMajorityOfTheVoters(int installed, int wanted) {
        assertThatThrownBy(() -> chart.templateYaml(replicas(wanted), List.of(coordinators(installed))))
                .hasMessageContaining("coordinator.replicas")
                .hasMessageContaining("from " + installed + " to " + wanted)
                .hasMessageContaining("allowUnsafeScaleDown");
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"3, 2", "3, 3", "3, 5", "5, 3", "5, 4", "1, 3"})
    void shouldAllowRemovingAMinorityOrAdding(int installed, int wanted) {
        assertThatCode(() -> chart.templateYaml(replicas(wanted), List.of(coordinators(installed))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"3, 1", "5, 2"})
    void shouldAllowAnUnsafeScaleDownWhenToldTo(int installed, int wanted) {
        Map<String, String> values = Map.of("coordinator.replicas", String.valueOf(wanted),
                "coordinator.allowUnsafeScaleDown", "true");

        assertThatCode(() -> chart.templateYaml(values, List.of(coordinators(installed)))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "install with {0}")
    @CsvSource({"1", "3", "5"})
    void shouldInstallAnyCountWhenNothingIsInstalled(int wanted) {
        assertThatCode(() -> chart.templateYaml(replicas(wanted), List.of())).doesNotThrowAnyException();
    }

    private static Map<String, String> replicas(int count) {
        return Map.of("coordinator.replicas", String.valueOf(count));
    }

    private static StatefulSet coordinators(int replicas) {
        return new StatefulSetBuilder().withNewMetadata().withName(FULLNAME + "-coordinator")
                .withNamespace(HelmChart.NAMESPACE).endMetadata().withNewSpec().withReplicas(replicas).endSpec().build();
    }
}
