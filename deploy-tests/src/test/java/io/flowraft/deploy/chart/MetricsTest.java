package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Monitoring: the ServiceMonitor, the alert rules, the Grafana dashboard, and what they scrape. */
class MetricsTest {

    private static final Path REPO = Path.of(System.getProperty("flowraft.repo.root", ".."));

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldRenderNoMonitoringObjectsByDefault() {
        Rendered rendered = chart.template();

        assertThat(rendered.custom("ServiceMonitor")).isEmpty();
        assertThat(rendered.custom("PrometheusRule")).isEmpty();
        assertThat(rendered.find(ConfigMap.class, FULLNAME + "-dashboard")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldScrapeThePrometheusEndpointOfEveryCoordinatorAndWorkerOnAPortThatServesIt() {
        Rendered rendered = chart.template(ValueSets.METRICS);
        GenericKubernetesResource monitor = rendered.getCustom("ServiceMonitor", FULLNAME);
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");

        List<Service> scraped = rendered.all(Service.class).stream()
                .filter(s -> Workloads.selects(selector, s.getMetadata().getLabels())).toList();
        assertThat(scraped).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder(FULLNAME + "-coordinator-metrics", FULLNAME + "-worker-metrics");
        assertThat(spec.get("namespaceSelector")).isEqualTo(Map.of("matchNames", List.of(HelmChart.NAMESPACE)));
        for (Service service : scraped) {
            FlowRaftService kind = service.getMetadata().getName().endsWith("-coordinator-metrics")
                    ? FlowRaftService.COORDINATOR : FlowRaftService.WORKER;
            Container container = kind == FlowRaftService.COORDINATOR
                    ? Workloads.coordinator(rendered) : Workloads.worker(rendered);
            ServedPaths served = ServedPaths.of(kind, Workloads.literalEnv(container), Map.of());
            // the endpoints that scrape a port of this Service call a path the pod serves there
            List<Map<String, Object>> own = endpoints.stream().filter(e -> service.getSpec().getPorts().stream()
                    .anyMatch(p -> p.getName().equals(e.get("port")))).toList();
            assertThat(own).as(service.getMetadata().getName()).isNotEmpty().allSatisfy(endpoint -> {
                ServicePort port = service.getSpec().getPorts().stream()
                        .filter(p -> p.getName().equals(endpoint.get("port"))).findFirst().orElseThrow();
                int containerPort = container.getPorts().stream()
                        .filter(p -> p.getName().equals(port.getTargetPort().getStrVal())).findFirst().orElseThrow()
                        .getContainerPort();
                assertThat(served.serves(containerPort, (String) endpoint.get("path")))
                        .as("%s serves %s on %d", kind, endpoint.get("path"), containerPort).isTrue();
            });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAlertWithTheRulesTheDocsPublish() throws IOException {
        GenericKubernetesResource rule = chart.template(ValueSets.METRICS).getCustom("PrometheusRule", FULLNAME);
        JsonNode rendered = new ObjectMapper().valueToTree(
                ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups"));
        JsonNode chartCopy = new YAMLMapper().readTree(chart.dir().resolve("files/flowraft-alerts.yaml").toFile());
        JsonNode docs = new YAMLMapper().readTree(REPO.resolve("docs/observability/flowraft-alerts.yaml").toFile());

        assertThat(rendered).isEqualTo(chartCopy.get("groups"));
        assertThat(chartCopy).as("helm/flowraft/files/flowraft-alerts.yaml is a copy of docs/observability's")
                .isEqualTo(docs);
        assertThat(rendered.size()).isPositive();
    }

    @Test
    void shouldShipTheDashboardTheDocsPublishForGrafanasSidecar() throws IOException {
        ConfigMap dashboard = chart.template(ValueSets.METRICS).get(ConfigMap.class, FULLNAME + "-dashboard");
        ObjectMapper json = new ObjectMapper();

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode shipped = json.readTree(dashboard.getData().get("flowraft-dashboard.json"));
        assertThat(shipped).isEqualTo(json.readTree(chart.dir().resolve("files/flowraft-dashboard.json").toFile()));
        Path docs = REPO.resolve("docs/observability/flowraft-dashboard.json");
        assertThat(docs).isRegularFile();
        assertThat(shipped).as("a copy of " + docs).isEqualTo(json.readTree(Files.readString(docs)));
    }
}
