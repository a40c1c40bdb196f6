package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workers: a Deployment scaled by an HPA on CPU, or by KEDA on the READY backlog. */
class WorkerTest {

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldLeaveTheReplicaCountToTheCpuAutoscalerByDefault() {
        Rendered rendered = chart.template();
        Deployment workers = Workloads.workers(rendered);
        HorizontalPodAutoscaler hpa = rendered.get(HorizontalPodAutoscaler.class, FULLNAME + "-worker");

        assertThat(workers.getSpec().getReplicas()).as("an upgrade must not reset what the HPA chose").isNull();
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(workers.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getType()).isEqualTo("Utilization");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
        assertThat(rendered.custom("ScaledObject")).isEmpty();
    }

    @Test
    void shouldScaleOnTheLeadersReadyBacklogThroughKedaInsteadOfTheHpa() {
        Rendered rendered = chart.template(ValueSets.KEDA);
        GenericKubernetesResource scaled = rendered.getCustom("ScaledObject", FULLNAME + "-worker");
        Map<String, Object> spec = spec(scaled);

        assertThat(rendered.all(HorizontalPodAutoscaler.class)).as("KEDA makes its own HPA").isEmpty();
        assertThat(Workloads.workers(rendered).getSpec().getReplicas()).isNull();
        assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        assertThat(spec.get("scaleTargetRef")).isEqualTo(Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "name", FULLNAME + "-worker"));
        assertThat(spec).containsEntry("minReplicaCount", 1).containsEntry("maxReplicaCount", 20);
        Map<String, Object> prometheus = trigger(spec, "prometheus");
        assertThat(prometheus).containsEntry("serverAddress", "http://prometheus-operated.monitoring.svc:9090")
                .containsEntry("threshold", "50");
        String query = (String) prometheus.get("query");
        assertThat(query).contains("flowraft_tasks_ready", "flowraft_raft_leader",
                "namespace=\"" + HelmChart.NAMESPACE + "\"");
        // the series come from the coordinators' metrics Service the chart renders
        assertThat(query).contains("service=\"" + FULLNAME + "-coordinator-metrics\"");
        assertThat(rendered.find(Service.class, FULLNAME + "-coordinator-metrics")).isPresent();
    }

    @Test
    void shouldScaleOnTheTaskTypesAndBacklogGiven() {
        Map<String, Object> spec = spec(chart.template(Map.of("worker.keda.enabled", "true",
                "worker.keda.taskTypes", "http|charge", "worker.keda.tasksPerReplica", "200"))
                .getCustom("ScaledObject", FULLNAME + "-worker"));

        assertThat(trigger(spec, "prometheus")).containsEntry("threshold", "200");
        assertThat((String) trigger(spec, "prometheus").get("query")).contains("type=~\"http|charge\"");
    }

    @Test
    void shouldRunTheReplicasGivenWithoutAutoscaling() {
        Rendered rendered = chart.template(ValueSets.FIXED_WORKERS);

        assertThat(Workloads.workers(rendered).getSpec().getReplicas()).isEqualTo(4);
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(rendered.custom("ScaledObject")).isEmpty();
    }

    @Test
    void shouldPollTheCoordinatorsThroughTheClientServiceWithTheWorkerKey() {
        Rendered rendered = chart.template();
        Container worker = Workloads.worker(rendered);
        Service client = rendered.get(Service.class, FULLNAME + "-coordinator");

        URI coordinators = URI.create(Workloads.value(worker, "FLOWRAFT_WORKER_COORDINATORS"));
        assertThat(coordinators.getHost()).isEqualTo(client.getMetadata().getName() + "." + HelmChart.NAMESPACE
                + ".svc.cluster.local");
        assertThat(client.getSpec().getPorts()).anyMatch(p -> p.getPort() == coordinators.getPort());
        assertThat(Workloads.secretKey(worker, "FLOWRAFT_WORKER_KEY").getName()).isEqualTo(FULLNAME + "-credentials");
        assertThat(Workloads.secretKey(worker, "FLOWRAFT_WORKER_KEY").getKey()).isEqualTo("FLOWRAFT_WORKER_KEY");
        assertThat(Workloads.value(worker, "FLOWRAFT_WORKER_WORKER_ID")).isEqualTo("$(POD_NAME)");
        assertThat(Workloads.workers(rendered).getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("flowraft.io/api-client", "true");
    }

    @Test
    void shouldGiveRunningTasksTheirGraceBeforeTheKill() {
        for (int grace : List.of(30, 120)) {
            Rendered rendered = chart.template(Map.of("worker.shutdownGraceSeconds", String.valueOf(grace)));
            Duration shutdownGrace = Duration.parse("PT" + Workloads.value(Workloads.worker(rendered), "FLOWRAFT_WORKER_SHUTDOWN_GRACE"));

            assertThat(shutdownGrace).isEqualTo(Duration.ofSeconds(grace));
            assertThat(Workloads.workers(rendered).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .isGreaterThan(shutdownGrace.toSeconds());
        }
    }

    @Test
    void shouldRollWorkersWithoutLosingCapacity() {
        Deployment workers = Workloads.workers(chart.template());

        assertThat(workers.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(Workloads.worker(chart.template()).getLivenessProbe().getHttpGet().getPath())
                .isEqualTo("/actuator/health/liveness");
        assertThat(Workloads.worker(chart.template()).getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/actuator/health/readiness");
    }

    static Deployment workers(Rendered rendered) {
        return rendered.get(Deployment.class, FULLNAME + "-worker");
    }

    static Container worker(Rendered rendered) {
        return Workloads.container(Workloads.workers(rendered).getSpec().getTemplate().getSpec(), "worker");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trigger(Map<String, Object> spec, String type) {
        return ((List<Map<String, Object>>) spec.get("triggers")).stream().filter(t -> type.equals(t.get("type")))
                .map(t -> (Map<String, Object>) t.get("metadata")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " trigger in " + spec));
    }
}
