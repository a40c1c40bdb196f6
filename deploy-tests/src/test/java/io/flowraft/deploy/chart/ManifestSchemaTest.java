package io.flowraft.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every object the chart renders, with every value set, is one the API server accepts as written: known kinds,
 * known fields, the right JSON types ({@link ManifestSchema}). And the check itself catches what it should.
 */
class ManifestSchemaTest {

    private final HelmChart chart = HelmChart.flowraft();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flowraft.deploy.chart.ValueSets#names")
    void shouldRenderOnlyValidObjects(String valueSet) {
        Rendered rendered = chart.template(ValueSets.all().get(valueSet));

        assertThat(rendered.objects()).isNotEmpty();
        assertThat(ManifestSchema.violations(rendered)).isEmpty();
    }

    @Test
    void shouldCatchAMisspelledField() {
        List<String> violations = violations("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: w
                spec:
                  selector:
                    matchLabels: {app: w}
                  template:
                    metadata:
                      labels: {app: w}
                    spec:
                      containers:
                        - name: worker
                          image: ghcr.io/flowraft/worker:1
                          imagePullPolicyy: IfNotPresent
                """);

        assertThat(violations).singleElement().asString()
                .startsWith(".spec.template.spec.containers[0].imagePullPolicyy: unknown field");
    }

    @Test
    void shouldCatchANumberWhereTheApiWantsAString() {
        List<String> violations = violations("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  annotations:
                    prometheus.io/port: 9081
                spec:
                  containers:
                    - name: c
                      image: i
                      env:
                        - name: SERVER_PORT
                          value: 8081
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                ".metadata.annotations.prometheus.io/port: expected a string, found number 9081",
                ".spec.containers[0].env[0].value: expected a string, found number 8081");
    }

    @Test
    void shouldCatchAStringWhereTheApiWantsANumberOrABoolean() {
        List<String> violations = violations("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: s
                spec:
                  replicas: "3"
                  serviceName: s
                  selector:
                    matchLabels: {app: s}
                  template:
                    metadata:
                      labels: {app: s}
                    spec:
                      automountServiceAccountToken: "false"
                      containers: [{name: c, image: i}]
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                ".spec.replicas: expected an integer, found string \"3\"",
                ".spec.template.spec.automountServiceAccountToken: expected a boolean, found string \"false\"");
    }

    @Test
    void shouldRefuseAnUnknownKind() {
        List<String> violations = violations("""
                apiVersion: apps/v1
                kind: StatefulSett
                metadata:
                  name: s
                """);

        assertThat(violations).singleElement().asString().contains("StatefulSett").contains("neither");
    }

    @Test
    void shouldCatchAMisspelledFieldOrAWrongTypeInACustomResource() {
        List<String> violations = violations("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: w
                spec:
                  scaleTargetRef: {name: w}
                  minReplicaCount: 1
                  maxReplicas: 10
                  triggers:
                    - type: prometheus
                      metadata:
                        serverAddress: http://prometheus:9090
                        threshold: 50
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                ".spec.maxReplicas: unknown field",
                ".spec.triggers[0].metadata.threshold: expected string, found number 50");
    }

    @Test
    void shouldCatchAMisspelledFieldInAServiceMonitorEndpoint() {
        List<String> violations = violations("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: m
                spec:
                  selector: {matchLabels: {app: m}}
                  endpoints:
                    - port: management
                      intervall: 30s
                """);

        assertThat(violations).containsExactly(".spec.endpoints[0].intervall: unknown field");
    }

    private static List<String> violations(String yaml) {
        return ManifestSchema.violations(Rendered.manifest(yaml).orElseThrow());
    }
}
