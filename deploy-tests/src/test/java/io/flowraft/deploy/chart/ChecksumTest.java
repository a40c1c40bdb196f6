package io.flowraft.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pods' checksum annotations: a change of a service's settings or of the credentials rolls its pods (a
 * ConfigMap or Secret change alone would not), and nothing else does.
 */
class ChecksumTest {

    private static final Map<String, String> COORDINATOR_CONFIG = Map.of(
            "coordinator.config.flowraft\\.retention\\.finished-after", "2h");
    private static final Map<String, String> WORKER_CONFIG = Map.of(
            "worker.config.flowraft\\.worker\\.max-in-flight", "64");

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldRollTheCoordinatorsAloneWhenTheirSettingsChange() {
        assertThat(coordinator(COORDINATOR_CONFIG, "checksum/config")).isNotEqualTo(coordinator(Map.of(), "checksum/config"));
        assertThat(worker(COORDINATOR_CONFIG, "checksum/config")).isEqualTo(worker(Map.of(), "checksum/config"));
    }

    @Test
    void shouldRollTheWorkersAloneWhenTheirSettingsChange() {
        assertThat(worker(WORKER_CONFIG, "checksum/config")).isNotEqualTo(worker(Map.of(), "checksum/config"));
        assertThat(coordinator(WORKER_CONFIG, "checksum/config")).isEqualTo(coordinator(Map.of(), "checksum/config"));
    }

    @Test
    void shouldRollEveryPodWhenTheCredentialsSecretChanges() {
        assertThat(coordinator(ValueSets.EXISTING_CREDENTIALS, "checksum/credentials"))
                .isNotEqualTo(coordinator(Map.of(), "checksum/credentials"));
        assertThat(worker(ValueSets.EXISTING_CREDENTIALS, "checksum/credentials"))
                .isNotEqualTo(worker(Map.of(), "checksum/credentials"));
        assertThat(coordinator(ValueSets.HISTORY, "checksum/credentials"))
                .isNotEqualTo(coordinator(Map.of(), "checksum/credentials"));
    }

    @Test
    void shouldNotRollAnythingWhenNothingChanged() {
        // two renderings bypassing the cache: the generated keys differ, the annotations must not
        Rendered first = Rendered.parse(chart.templateYaml(Map.of()));
        Rendered second = Rendered.parse(chart.templateYaml(Map.of()));

        assertThat(annotations(Workloads.coordinators(first).getSpec().getTemplate()))
                .isEqualTo(annotations(Workloads.coordinators(second).getSpec().getTemplate()))
                .containsKeys("checksum/config", "checksum/credentials");
        assertThat(annotations(Workloads.workers(first).getSpec().getTemplate()))
                .isEqualTo(annotations(Workloads.workers(second).getSpec().getTemplate()))
                .containsKeys("checksum/config", "checksum/credentials");
    }

    private String coordinator(Map<String, String> values, String annotation) {
        return annotations(Workloads.coordinators(chart.template(values)).getSpec().getTemplate())
                .get(annotation);
    }

    private String worker(Map<String, String> values, String annotation) {
        return annotations(Workloads.workers(chart.template(values)).getSpec().getTemplate()).get(annotation);
    }

    private static Map<String, String> annotations(PodTemplateSpec template) {
        Map<String, String> annotations = template.getMetadata().getAnnotations();
        assertThat(annotations).isNotNull();
        return annotations;
    }
}
