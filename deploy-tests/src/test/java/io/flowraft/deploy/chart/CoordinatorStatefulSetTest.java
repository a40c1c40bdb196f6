package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The coordinators' StatefulSet: one Raft voter per ordinal, reachable by its stable DNS name. */
class CoordinatorStatefulSetTest {

    private static final String HEADLESS = FULLNAME + "-coordinator-headless";

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldStartEveryOrdinalAtOnceBehindAHeadlessServiceThatPublishesNotReadyPods() {
        Rendered rendered = chart.template();
        StatefulSet coordinators = Workloads.coordinators(rendered);
        Service headless = rendered.get(Service.class, HEADLESS);

        assertThat(coordinators.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(coordinators.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(coordinators.getSpec().getServiceName()).isEqualTo(HEADLESS);
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getSelector()).isEqualTo(coordinators.getSpec().getSelector().getMatchLabels());
        assertThat(coordinators.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(coordinators.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "coordinator")
                .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE);
    }

    @ParameterizedTest(name = "{0} coordinators")
    @ValueSource(ints = {1, 3, 5})
    void shouldMakeEveryOrdinalsDnsNameAPeer(int replicas) {
        Rendered rendered = chart.template(Map.of("coordinator.replicas", String.valueOf(replicas)));
        StatefulSet coordinators = Workloads.coordinators(rendered);
        Container coordinator = coordinator(coordinators);
        List<String> expected = IntStream.range(0, replicas).mapToObj(i -> FULLNAME + "-coordinator-" + i + "."
                + HEADLESS + "." + HelmChart.NAMESPACE + ".svc.cluster.local:7101").toList();

        assertThat(coordinators.getSpec().getReplicas()).isEqualTo(replicas);
        List<String> peers = Arrays.asList(Workloads.value(coordinator, "FLOWRAFT_RAFT_PEERS").split(","));
        assertThat(peers).containsExactlyElementsOf(expected);
        // Each pod's own address, with its name substituted, is its entry in the list: it bootstraps as a voter.
        String address = Workloads.value(coordinator, "FLOWRAFT_RAFT_ADDRESS");
        for (int i = 0; i < replicas; i++) {
            assertThat(address.replace("$(POD_NAME)", coordinators.getMetadata().getName() + "-" + i))
                    .isEqualTo(peers.get(i));
        }
        assertThat(Workloads.value(coordinator, "FLOWRAFT_RAFT_JOIN_EXISTING")).isEqualTo("true");
        assertThat(Workloads.port(coordinator, "raft")).isEqualTo(7101);
        assertThat(rendered.get(Service.class, HEADLESS).getSpec().getPorts())
                .anySatisfy(p -> {
                    assertThat(p.getPort()).isEqualTo(7101);
                    assertThat(p.getTargetPort().getStrVal()).isEqualTo("raft");
                });
    }

    @Test
    void shouldKeepEachCoordinatorsRaftDataOnItsOwnClaim() {
        StatefulSet coordinators = Workloads.coordinators(chart.template());
        Container coordinator = coordinator(coordinators);

        PersistentVolumeClaim data = coordinators.getSpec().getVolumeClaimTemplates().getFirst();
        assertThat(coordinators.getSpec().getVolumeClaimTemplates()).hasSize(1);
        assertThat(data.getMetadata().getName()).isEqualTo("data");
        assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(data.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("8Gi"));
        assertThat(data.getSpec().getStorageClassName()).isNull();
        assertThat(coordinators.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(coordinators.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Delete");
        assertThat(coordinators.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getName().equals("data"));
        String mount = mountPath(coordinator, "data");
        assertThat(Workloads.value(coordinator, "FLOWRAFT_RAFT_DATA_DIR")).startsWith(mount + "/");
    }

    @Test
    void shouldUseTheStorageClassGivenOrAnEmptyDirWithoutPersistence() {
        StatefulSet classed = Workloads.coordinators(chart.template(Map.of("coordinator.persistence.storageClass", "fast-ssd",
                "coordinator.persistence.size", "20Gi")));
        StatefulSet ephemeral = Workloads.coordinators(chart.template(ValueSets.NO_PERSISTENCE));

        PersistentVolumeClaim data = classed.getSpec().getVolumeClaimTemplates().getFirst();
        assertThat(data.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(data.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));
        assertThat(ephemeral.getSpec().getVolumeClaimTemplates()).isNullOrEmpty();
        assertThat(ephemeral.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> {
                    assertThat(v.getName()).isEqualTo("data");
                    assertThat(v.getEmptyDir()).isNotNull();
                });
    }

    @Test
    void shouldProbeStartupLivenessAndReadinessOnTheApiPort() {
        Container coordinator = coordinator(Workloads.coordinators(chart.template()));

        assertProbe(coordinator.getStartupProbe(), "/actuator/health/liveness", "http", 5, 60, null);
        assertProbe(coordinator.getLivenessProbe(), "/actuator/health/liveness", "http", 10, 3, 3);
        assertProbe(coordinator.getReadinessProbe(), "/actuator/health/readiness", "http", 5, 2, 3);
        // a minute of startup before liveness counts: replaying a long log must not get the pod killed
        Probe startup = coordinator.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "handover {0}s, shutdown phase {1}s")
    @CsvSource({"15, 20", "30, 45", "5, 10"})
    void shouldHandLeadershipOverBeforeStoppingAndWaitLongEnoughForIt(int handover, int shutdownPhase) {
        StatefulSet coordinators = Workloads.coordinators(chart.template(Map.of(
                "coordinator.handoverTimeoutSeconds", String.valueOf(handover),
                "coordinator.shutdownPhaseSeconds", String.valueOf(shutdownPhase))));
        PodSpec pod = coordinators.getSpec().getTemplate().getSpec();
        Container coordinator = coordinator(coordinators);

        assertThat(coordinator.getLifecycle().getPreStop().getHttpGet().getPath()).isEqualTo("/actuator/handover");
        assertThat(coordinator.getLifecycle().getPreStop().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        Duration handoverTimeout = Duration.parse("PT" + Workloads.value(coordinator, "FLOWRAFT_RAFT_HANDOVER_TIMEOUT"));
        Duration phase = Duration.parse("PT" + Workloads.value(coordinator, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
        assertThat(handoverTimeout).isEqualTo(Duration.ofSeconds(handover));
        assertThat(phase).isEqualTo(Duration.ofSeconds(shutdownPhase));
        assertThat(pod.getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(handoverTimeout.plus(phase).toSeconds())
                .isEqualTo(handover + shutdownPhase + 10L);
    }

    @Test
    void shouldPreferCoordinatorsOnDifferentNodesByDefault() {
        PodSpec pod = Workloads.coordinators(chart.template()).getSpec().getTemplate().getSpec();
        Map<String, String> selector = Workloads.coordinators(chart.template()).getSpec().getSelector().getMatchLabels();

        var antiAffinity = pod.getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
            assertThat(term.getWeight()).isEqualTo(100);
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(selector);
        });
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(spread -> {
            assertThat(spread.getMaxSkew()).isEqualTo(1);
            assertThat(spread.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(spread.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(spread.getLabelSelector().getMatchLabels()).isEqualTo(selector);
        });
    }

    @Test
    void shouldRequireDifferentNodesWhenHardOrNotCareWhenNone() {
        StatefulSet hard = Workloads.coordinators(chart.template(ValueSets.HARD_ANTI_AFFINITY));
        PodSpec none = Workloads.coordinators(chart.template(Map.of("coordinator.podAntiAffinity", "none",
                "coordinator.topologySpread.enabled", "false"))).getSpec().getTemplate().getSpec();

        var antiAffinity = hard.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getLabelSelector().getMatchLabels()).isEqualTo(hard.getSpec().getSelector().getMatchLabels());
        });
        assertThat(none.getAffinity()).isNull();
        assertThat(none.getTopologySpreadConstraints()).isNullOrEmpty();
    }

    @Test
    void shouldMountTheApiKeysAndTheConfigFileTheEnvironmentNames() {
        StatefulSet coordinators = Workloads.coordinators(chart.template());
        Container coordinator = coordinator(coordinators);
        PodSpec pod = coordinators.getSpec().getTemplate().getSpec();

        assertThat(Workloads.value(coordinator, "FLOWRAFT_SECURITY_API_KEYS_FILE"))
                .isEqualTo(mountPath(coordinator, "api-keys") + "/api-keys");
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("api-keys");
            assertThat(v.getSecret().getSecretName()).isEqualTo(FULLNAME + "-credentials");
            assertThat(v.getSecret().getItems()).singleElement()
                    .satisfies(item -> assertThat(item.getKey()).isEqualTo("api-keys"));
        });
        assertThat(Workloads.value(coordinator, "SPRING_CONFIG_ADDITIONAL_LOCATION"))
                .isEqualTo("optional:file:" + mountPath(coordinator, "config") + "/");
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("config");
            assertThat(v.getConfigMap().getName()).isEqualTo(FULLNAME + "-coordinator-config");
        });
    }

    private static Container coordinator(StatefulSet coordinators) {
        return Workloads.container(coordinators.getSpec().getTemplate().getSpec(), "coordinator");
    }

    private static String mountPath(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(m -> volume.equals(m.getName()))
                .map(VolumeMount::getMountPath).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " does not mount " + volume));
    }

    private static void assertProbe(Probe probe, String path, String port, int period, int failures, Integer timeout) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(port);
        assertThat(probe.getPeriodSeconds()).isEqualTo(period);
        assertThat(probe.getFailureThreshold()).isEqualTo(failures);
        if (timeout != null) {
            assertThat(probe.getTimeoutSeconds()).isEqualTo(timeout);
        }
    }
}
