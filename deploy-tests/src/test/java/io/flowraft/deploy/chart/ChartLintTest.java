package io.flowraft.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void shouldTellHowToRunHelmTestInItsNotes() throws IOException {
        // helm template renders no NOTES.txt; lint above renders it, here its text is read.
        Path notes = chart.dir().resolve("templates/NOTES.txt");

        assertThat(notes).isRegularFile();
        assertThat(Files.readString(notes)).contains("helm test {{ .Release.Name }}");
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
        Rendered rendered = chart.template(java.util.Map.of("image.repositoryPrefix", "registry.example/ops/",
                "image.tag", "1.2.3"));

        assertThat(Workloads.podSpecs(rendered)).allSatisfy((name, pod) -> assertThat(pod.getContainers())
                .allSatisfy(c -> assertThat(c.getImage()).as(name)
                        .matches("registry\\.example/ops/(coordinator|worker|cli):1\\.2\\.3")));
    }
}
