package io.flowraft.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart as a package: {@code helm lint --strict}, its notes, its version against the images built. */
class ChartLintTest {

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldPassHelmLintStrict() {
        LintResult lint = chart.lint();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void shouldTellHowToRunHelmTestInItsNotes() {
        String notes = chart.notes(Map.of());

        assertThat(chart.dir().resolve("templates/NOTES.txt")).isRegularFile();
        assertThat(notes).contains("helm test " + HelmChart.RELEASE + " -n " + HelmChart.NAMESPACE)
                .contains("rollout status statefulset/" + HelmChart.FULLNAME + "-coordinator")
                .contains("secret " + HelmChart.FULLNAME + "-credentials")
                .contains("History is OFF");
    }

    @Test
    void shouldNameTheExistingSecretAndHistoryInItsNotesWhenGiven() {
        Map<String, String> values = new HashMap<>(ValueSets.EXISTING_CREDENTIALS);
        values.putAll(ValueSets.HISTORY);
        String notes = chart.notes(values);

        assertThat(notes).contains("secret my-flowraft-keys").doesNotContain("were generated")
                .doesNotContain("History is OFF");
    }

    @Test
    void shouldRunTheImagesOfTheProjectVersionByDefault() {
        String version = System.getProperty("flowraft.image.version");
        Rendered rendered = chart.template();

        assertThat(version).as("system property flowraft.image.version (deploy-tests/pom.xml)").isNotBlank();
        assertThat(Workloads.podSpecs(rendered)).isNotEmpty().allSatisfy((name, pod) -> {
            for (Container container : pod.getContainers()) {
                assertThat(container.getImage()).as(name)
                        .matches("ghcr\\.io/flowraft/(coordinator|worker|cli):" + version.replace(".", "\\."));
            }
        });
    }

    @Test
    void shouldTagImagesAsToldAndPrefixThemWithTheRepositoryGiven() {
        Rendered rendered = chart.template(Map.of("image.repositoryPrefix", "registry.example/ops/",
                "image.tag", "1.2.3"));

        assertThat(Workloads.podSpecs(rendered)).allSatisfy((name, pod) -> assertThat(pod.getContainers())
                .allSatisfy(c -> assertThat(c.getImage()).as(name)
                        .matches("registry\\.example/ops/(coordinator|worker|cli):1\\.2\\.3")));
    }
}
