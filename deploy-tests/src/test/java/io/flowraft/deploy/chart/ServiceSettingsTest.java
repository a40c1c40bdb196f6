package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.flowraft.cli.FlowRaftCli;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code flowraft.*} setting the chart makes, as an environment variable or a config file key, is one the
 * service it is for binds ({@link ServiceSettings}); the CLI containers get only variables the CLI reads.
 */
class ServiceSettingsTest {

    private static final ServiceSettings COORDINATOR = ServiceSettings.of(FlowRaftService.COORDINATOR);
    private static final ServiceSettings WORKER = ServiceSettings.of(FlowRaftService.WORKER);

    private final HelmChart chart = HelmChart.flowraft();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldSetOnlyPropertiesTheServicesBind(String valueSet) {
        Rendered rendered = chart.template(ValueSets.all().get(valueSet));
        Container coordinator = Workloads.coordinator(rendered);
        Container worker = Workloads.worker(rendered);

        assertThat(COORDINATOR.unknownVariables(names(coordinator))).as("coordinator env").isEmpty();
        assertThat(WORKER.unknownVariables(names(worker))).as("worker env").isEmpty();
        assertThat(COORDINATOR.unknownProperties(configFile(rendered, "coordinator"))).isEmpty();
        assertThat(WORKER.unknownProperties(configFile(rendered, "worker"))).isEmpty();
    }

    @Test
    void shouldWriteTheConfigGivenIntoEachServicesFile() {
        Rendered rendered = chart.template(ValueSets.CONFIG_FILES);

        assertThat(configFile(rendered, "coordinator")).isEqualTo(Map.of("flowraft.retention.finished-after", "2h",
                "flowraft.raft.snapshot-interval-secs", "600"));
        assertThat(configFile(rendered, "worker")).isEqualTo(Map.of("flowraft.worker.max-in-flight", "64",
                "flowraft.worker.types.http.concurrency", "4"));
        assertThat(configFile(chart.template(), "coordinator")).isEmpty();
    }

    @Test
    void shouldGiveTheCliContainersOnlyVariablesTheCliReads() {
        Set<String> cli = Set.of(FlowRaftCli.URL_ENV, FlowRaftCli.API_KEY_ENV, FlowRaftCli.CA_FILE_ENV);
        Map<String, PodSpec> pods = Workloads.podSpecs(chart.template());

        for (String hook : new String[] {"Job/" + FULLNAME + "-coordinator-retain-peers", "Pod/" + FULLNAME + "-cluster-check"}) {
            for (Container container : pods.get(hook).getContainers()) {
                assertThat(Workloads.env(container).keySet()).as(hook).isNotEmpty()
                        .allSatisfy(name -> assertThat(cli).contains(name));
            }
        }
    }

    @Test
    void shouldKnowWhatTheServicesBindByRelaxedNames() {
        // the checker itself: Spring's relaxed binding, records nested and maps open, placeholders in the jar
        assertThat(COORDINATOR.unknownVariables(Map.of(
                "FLOWRAFT_RAFT_PEERS", "a:1", "FLOWRAFT_RAFT_DATA_DIR", "/d", "FLOWRAFT_RAFT_DATADIR", "/d",
                "FLOWRAFT_SECURITY_API_KEYS_FILE", "/k", "FLOWRAFT_SECURITY_JWT_ROLES_CLAIM", "r",
                "FLOWRAFT_CLUSTER_SECRET", "s",
                "FLOWRAFT_HISTORY_POOL_SIZE", "4", "SERVER_PORT", "1"))).isEmpty();
        assertThat(WORKER.unknownVariables(Map.of("FLOWRAFT_WORKER_TYPES_HTTP_CONCURRENCY", "2",
                "FLOWRAFT_WORKER_KEY", "k", "FLOWRAFT_WORKER_TLS_CA_FILE", "/ca"))).isEmpty();
        assertThat(COORDINATOR.unknownProperties(Map.of("flowraft.raft.snapshotIntervalSecs", "1",
                "flowraft.engine.max-tasks", "5", "spring.main.banner-mode", "off"))).isEmpty();
    }

    @Test
    void shouldCatchATypoInAVariableOrAKey() {
        assertThat(COORDINATOR.unknownVariables(Map.of("FLOWRAFT_RAFT_PEERZ", "a:1", "FLOWRAFT_RAFT_PEERS", "a:1")))
                .containsExactly("FLOWRAFT_RAFT_PEERZ");
        assertThat(COORDINATOR.unknownVariables(Map.of("FLOWRAFT_RAFT_HANDOVER", "15s"))).containsExactly(
                "FLOWRAFT_RAFT_HANDOVER");
        // a worker setting is no coordinator setting, and the other way round
        assertThat(COORDINATOR.unknownVariables(Map.of("FLOWRAFT_WORKER_KEY", "k"))).containsExactly("FLOWRAFT_WORKER_KEY");
        assertThat(WORKER.unknownVariables(Map.of("FLOWRAFT_CLUSTER_SECRET", "s"))).containsExactly("FLOWRAFT_CLUSTER_SECRET");
        assertThat(COORDINATOR.unknownProperties(Map.of("flowraft.raft.peerz", "a", "flowraft.retention.finished-afer", "1h")))
                .containsExactlyInAnyOrder("flowraft.raft.peerz", "flowraft.retention.finished-afer");
    }

    /** The container's variable names, each with a stand-in value when it comes from elsewhere. */
    private static Map<String, String> names(Container container) {
        Map<String, String> names = new LinkedHashMap<>();
        Workloads.env(container).forEach((name, var) -> names.put(name, var.getValue() == null ? "x" : var.getValue()));
        return names;
    }

    /** The service's mounted application.properties as key/value pairs. */
    static Map<String, String> configFile(Rendered rendered, String component) {
        ConfigMap config = rendered.get(ConfigMap.class, FULLNAME + "-" + component + "-config");
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(config.getData().get("application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        properties.forEach((k, v) -> keys.put(k.toString(), v.toString()));
        return keys;
    }
}
