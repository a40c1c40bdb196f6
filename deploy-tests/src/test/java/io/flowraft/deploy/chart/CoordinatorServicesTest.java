package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Services in front of the pods, and the disruption budget that keeps a Raft majority up. */
class CoordinatorServicesTest {

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldServeTheApiFromReadyCoordinatorsThroughTheClientService() {
        Rendered rendered = chart.template();
        Service client = rendered.get(Service.class, FULLNAME + "-coordinator");

        assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(client.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
        assertThat(client.getSpec().getSelector())
                .isEqualTo(Workloads.coordinators(rendered).getSpec().getSelector().getMatchLabels());
        assertThat(client.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8081);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldSelectPodsForEveryServiceAndTargetPortsTheyHave(String valueSet) {
        Rendered rendered = chart.template(ValueSets.all().get(valueSet));
        List<PodTemplateSpec> templates = new ArrayList<>();
        rendered.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
        rendered.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));

        assertThat(rendered.all(Service.class)).hasSize(4).allSatisfy(service -> {
            List<PodTemplateSpec> selected = templates.stream()
                    .filter(t -> Workloads.selects(service.getSpec().getSelector(), t.getMetadata().getLabels())).toList();
            assertThat(selected).as(service.getMetadata().getName()).hasSize(1);
            List<ContainerPort> ports = selected.getFirst().getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts().stream()).toList();
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(ports).as("%s port %s", service.getMetadata().getName(), port.getName())
                        .anyMatch(p -> p.getName().equals(port.getTargetPort().getStrVal())
                                && p.getContainerPort().equals(port.getPort()));
            }
        });
    }

    @ParameterizedTest(name = "{0} coordinators: {1} may be disrupted")
    @CsvSource({"3, 1", "5, 2", "7, 3"})
    void shouldLetAMinorityOfCoordinatorsBeDisruptedAtOnce(int replicas, int maxUnavailable) {
        Rendered rendered = chart.template(Map.of("coordinator.replicas", String.valueOf(replicas)));
        PodDisruptionBudget budget = rendered.get(PodDisruptionBudget.class, FULLNAME + "-coordinator");

        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(maxUnavailable);
        assertThat(budget.getSpec().getMinAvailable()).isNull();
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Workloads.coordinators(rendered).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void shouldRenderNoBudgetForASingleCoordinatorOrWhenTurnedOff() {
        // maxUnavailable 0 would block every node drain forever
        assertThat(chart.template(ValueSets.ONE_COORDINATOR).all(PodDisruptionBudget.class)).isEmpty();
        assertThat(chart.template(Map.of("coordinator.pdb.enabled", "false")).all(PodDisruptionBudget.class)).isEmpty();
    }
}
