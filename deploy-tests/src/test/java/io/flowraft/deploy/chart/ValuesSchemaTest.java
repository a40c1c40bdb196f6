package io.flowraft.deploy.chart;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code values.schema.json}: Helm refuses wrong values before rendering anything, with a message naming the value.
 */
class ValuesSchemaTest {

    private final HelmChart chart = HelmChart.flowraft();

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "coordinator.replicas, three, replicas",
            "coordinator.replicas, -1, replicas",
            "coordinator.replicas, 0, replicas",
            "coordinator.replica, 3, replica",
            "coordinator.electionTimeoutMs, -2000, electionTimeoutMs",
            "coordinator.handoverTimeoutSeconds, -15, handoverTimeoutSeconds",
            "coordinator.podAntiAffinity, sometimes, podAntiAffinity",
            "coordinator.persistence.size, eight, size",
            "worker.autoscaling.maxReplicas, -10, maxReplicas",
            "worker.keda.enabled, yes, enabled",
            "worker.shutdownGraceSeconds, -1, shutdownGraceSeconds",
            "history.jdbcUrl, mysql://db/flowraft, jdbcUrl",
            "image.pullPolicy, Sometimes, pullPolicy",
            "networkPolicy.enable, false, enable",
            "metrics.serviceMonitor.interval, 30, interval",
    })
    void shouldRefuseAWrongValueNamingIt(String key, String value, String named) {
        assertThatThrownBy(() -> chart.templateYaml(Map.of(key, value)))
                .hasMessageContaining("schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldAcceptEveryValueSetTheTestsUse(String name) {
        assertThatCode(() -> chart.templateYaml(ValueSets.all().get(name))).doesNotThrowAnyException();
    }
}
