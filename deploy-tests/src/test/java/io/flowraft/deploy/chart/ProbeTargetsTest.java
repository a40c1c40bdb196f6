package io.flowraft.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every probe and the preStop hook call a path the service serves on that port, as {@link ServedPaths} works out
 * from the container's environment and the services' own configuration; the named ports are the ones the
 * services listen on. (The pods-as-processes test calls them on running services.)
 */
class ProbeTargetsTest {

    private final HelmChart chart = HelmChart.flowraft();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldProbeOnlyPathsTheServicesServeOnThosePorts(String valueSet) {
        Rendered rendered = chart.template(ValueSets.all().get(valueSet));
        Container coordinator = Workloads.coordinator(rendered);
        Container worker = Workloads.worker(rendered);

        assertServed(FlowRaftService.COORDINATOR, coordinator, ServiceSettingsTest.configFile(rendered, "coordinator"));
        assertServed(FlowRaftService.WORKER, worker, ServiceSettingsTest.configFile(rendered, "worker"));
        assertThat(coordinator.getStartupProbe()).isNotNull();
        assertThat(coordinator.getLifecycle().getPreStop().getHttpGet()).isNotNull();
    }

    @Test
    void shouldListenOnTheContainerPortsByTheirNames() {
        Rendered rendered = chart.template();
        Container coordinator = Workloads.coordinator(rendered);
        ServedPaths served = ServedPaths.of(FlowRaftService.COORDINATOR, Workloads.literalEnv(coordinator), Map.of());
        ServedPaths workerServed = ServedPaths.of(FlowRaftService.WORKER, Workloads.literalEnv(Workloads.worker(rendered)),
                Map.of());

        assertThat(Workloads.port(coordinator, "http")).isEqualTo(served.serverPort());
        assertThat(Workloads.port(coordinator, "management")).isEqualTo(served.managementPort()).isNotEqualTo(served.serverPort());
        assertThat(Workloads.port(Workloads.worker(rendered), "http")).isEqualTo(workerServed.serverPort());
    }

    @Test
    void shouldWorkOutWhatIsServedWhereAsTheServicesDo() {
        // the model itself, on the coordinator's own rules
        Map<String, String> env = Map.of("SERVER_PORT", "8081", "MANAGEMENT_SERVER_PORT", "9081");
        ServedPaths coordinator = ServedPaths.of(FlowRaftService.COORDINATOR, env, Map.of());

        assertThat(coordinator.serves(8081, "/actuator/health/liveness")).as("ProbeAliases").isTrue();
        assertThat(coordinator.serves(8081, "/livez")).as("additional paths").isTrue();
        assertThat(coordinator.serves(8081, "/actuator/handover")).as("management only").isFalse();
        assertThat(coordinator.serves(8081, "/actuator/prometheus")).isFalse();
        assertThat(coordinator.serves(9081, "/actuator/handover")).isTrue();
        assertThat(coordinator.serves(9081, "/actuator/prometheus")).isTrue();
        assertThat(coordinator.serves(9081, "/actuator/handovr")).isFalse();
        assertThat(coordinator.serves(9090, "/actuator/health/liveness")).isFalse();
        // without MANAGEMENT_SERVER_PORT the coordinator's SecurityEnvironment puts management at server.port + 1000
        assertThat(ServedPaths.of(FlowRaftService.COORDINATOR, Map.of("SERVER_PORT", "8500"), Map.of()).managementPort())
                .isEqualTo(9500);
        // an endpoint left out of the exposure list is not served
        ServedPaths hidden = ServedPaths.of(FlowRaftService.COORDINATOR, Map.of("SERVER_PORT", "8081",
                "MANAGEMENT_SERVER_PORT", "9081", "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,prometheus"), Map.of());
        assertThat(hidden.serves(9081, "/actuator/handover")).isFalse();
        // the worker serves the actuator on its one port
        ServedPaths worker = ServedPaths.of(FlowRaftService.WORKER, Map.of("SERVER_PORT", "8090"), Map.of());
        assertThat(worker.serves(8090, "/actuator/health/readiness")).isTrue();
        assertThat(worker.serves(8090, "/actuator/prometheus")).isTrue();
        assertThat(worker.serves(8090, "/actuator/handover")).isFalse();
    }

    private static void assertServed(FlowRaftService service, Container container, Map<String, String> configFile) {
        ServedPaths served = ServedPaths.of(service, Workloads.literalEnv(container), configFile);
        Map<String, HTTPGetAction> calls = new LinkedHashMap<>();
        if (container.getStartupProbe() != null) {
            calls.put("startupProbe", container.getStartupProbe().getHttpGet());
        }
        calls.put("livenessProbe", container.getLivenessProbe().getHttpGet());
        calls.put("readinessProbe", container.getReadinessProbe().getHttpGet());
        if (container.getLifecycle() != null && container.getLifecycle().getPreStop() != null) {
            calls.put("preStop", container.getLifecycle().getPreStop().getHttpGet());
        }
        calls.forEach((what, get) -> {
            assertThat(get).as("%s %s is an httpGet", container.getName(), what).isNotNull();
            int port = port(container, get.getPort());
            assertThat(served.serves(port, get.getPath())).as("%s %s: %s on port %d; %s", container.getName(), what,
                    get.getPath(), port, served).isTrue();
        });
    }

    private static int port(Container container, IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : Workloads.port(container, port.getStrVal());
    }

}
