package io.flowraft.deploy.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chart {@code helm/flowraft} as real Helm (helm-java's bundled library) sees it: {@code helm lint --strict} and
 * {@code helm template} of release {@value #RELEASE} in namespace {@value #NAMESPACE}, values given as
 * {@code --set key=value}. Under {@code template} Helm's {@code lookup} finds nothing, as on a first install.
 *
 * <p>Renderings are cached by their values: rendering is deterministic but for generated secrets, which no test
 * compares across renderings.
 */
final class HelmChart {

    static final String RELEASE = "demo";
    static final String NAMESPACE = "flowraft";
    /** The chart's fullname for release {@value #RELEASE}: the release name does not contain "flowraft". */
    static final String FULLNAME = RELEASE + "-flowraft";

    private static final Map<Map<String, String>, Rendered> RENDERED = new ConcurrentHashMap<>();

    private final Path dir;

    private HelmChart(Path dir) {
        this.dir = dir;
    }

    /** The chart of this checkout: {@code <flowraft.repo.root>/helm/flowraft}. */
    static HelmChart flowraft() {
        Path dir = Path.of(System.getProperty("flowraft.repo.root", "..")).resolve("helm/flowraft").toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + dir + " (system property flowraft.repo.root is "
                    + System.getProperty("flowraft.repo.root") + ")");
        }
        return new HelmChart(dir);
    }

    Path dir() {
        return dir;
    }

    /** {@code helm lint --strict} with the chart's default values. */
    LintResult lint() {
        return new Helm(dir).lint().strict().call();
    }

    /** The manifests {@code helm template} renders with these values set, parsed. */
    Rendered template(Map<String, String> values) {
        return RENDERED.computeIfAbsent(new TreeMap<>(values), v -> Rendered.parse(templateYaml(v)));
    }

    Rendered template() {
        return template(Map.of());
    }

    /**
     * The output of {@code helm template} with these values set. Throws with Helm's message when rendering or the
     * values schema fails.
     */
    String templateYaml(Map<String, String> values) {
        TemplateCommand template = new Helm(dir).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return template.call();
    }
}
