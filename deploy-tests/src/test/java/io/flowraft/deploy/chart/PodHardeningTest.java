package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every pod the chart renders shares: unprivileged, read-only, no API token, sized JVMs. */
class PodHardeningTest {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final HelmChart chart = HelmChart.flowraft();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldRunEveryPodUnprivilegedOnAReadOnlyRootWithoutAnApiToken(String valueSet) {
        Map<String, PodSpec> pods = Workloads.podSpecs(chart.template(ValueSets.all().get(valueSet)));

        assertThat(pods.keySet()).contains("StatefulSet/" + FULLNAME + "-coordinator", "Deployment/" + FULLNAME + "-worker",
                "Job/" + FULLNAME + "-coordinator-retain-peers", "Pod/" + FULLNAME + "-cluster-check");
        pods.forEach((name, pod) -> {
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isEqualTo(65532L);
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            for (Container container : pod.getContainers()) {
                var security = container.getSecurityContext();
                assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
                assertThat(security.getReadOnlyRootFilesystem()).as(name).isTrue();
                assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
                assertThat(security.getCapabilities().getAdd()).as(name).isNullOrEmpty();
                // the JVM writes to /tmp: a writable emptyDir, the root being read-only
                assertThat(container.getVolumeMounts()).as(name).anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/tmp");
                    assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null);
                });
            }
        });
    }

    @Test
    void shouldRequestAsMuchMemoryAsTheLimitAndSizeTheHeapToIt() {
        Rendered rendered = chart.template();

        for (Container container : List.of(Workloads.coordinator(rendered), Workloads.worker(rendered))) {
            Map<String, ?> requests = container.getResources().getRequests();
            Map<String, ?> limits = container.getResources().getLimits();
            assertThat(requests.get("memory")).as(container.getName()).isNotNull().isEqualTo(limits.get("memory"));
            assertThat(requests).as(container.getName()).containsKey("cpu");
            assertThat(limits).as(container.getName()).doesNotContainKey("cpu"); // no throttling of Raft's heartbeats
            assertThat(Workloads.value(container, "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:MaxRAMPercentage=70");
        }
    }

    @Test
    void shouldPassTheHeapShareAndJvmOptionsGiven() {
        Rendered rendered = chart.template(Map.of("coordinator.heapPercent", "60",
                "coordinator.jvmOptions", "-XX:+UseZGC", "worker.heapPercent", "50",
                "coordinator.resources.limits.memory", "2Gi", "coordinator.resources.requests.memory", "2Gi"));

        assertThat(Workloads.value(Workloads.coordinator(rendered), "JAVA_TOOL_OPTIONS"))
                .isEqualTo("-XX:MaxRAMPercentage=60 -XX:+UseZGC");
        assertThat(Workloads.value(Workloads.worker(rendered), "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:MaxRAMPercentage=50");
        assertThat(Workloads.coordinator(rendered).getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
    }

    @Test
    void shouldAppendExtraEnvironmentAfterTheChartsOwn() {
        Rendered rendered = chart.template(Map.of("coordinator.extraEnv[0].name", "LOGGING_LEVEL_IO_FLOWRAFT",
                "coordinator.extraEnv[0].value", "DEBUG"));

        List<EnvVar> env = Workloads.coordinator(rendered).getEnv();
        assertThat(env.getLast().getName()).isEqualTo("LOGGING_LEVEL_IO_FLOWRAFT");
        assertThat(env.getLast().getValue()).isEqualTo("DEBUG");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldReferOnlyToVariablesDefinedEarlierInTheSameContainer(String valueSet) {
        // Kubernetes expands $(NAME) only for variables listed before; anything else stays literally "$(NAME)".
        Workloads.podSpecs(chart.template(ValueSets.all().get(valueSet))).forEach((name, pod) -> {
            for (Container container : pod.getContainers()) {
                List<String> defined = new ArrayList<>();
                for (EnvVar var : container.getEnv()) {
                    Matcher reference = REFERENCE.matcher(var.getValue() == null ? "" : var.getValue());
                    while (reference.find()) {
                        assertThat(defined).as("%s %s: %s refers to", name, container.getName(), var.getName())
                                .contains(reference.group(1));
                    }
                    defined.add(var.getName());
                }
            }
        });
    }

}
