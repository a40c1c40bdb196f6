package io.flowraft.deploy.chart;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.flowraft.deploy.kube.FakeKubernetesApi;
import io.flowraft.deploy.kube.VisibleHooksCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chart {@code helm/flowraft} as real Helm (helm-java's bundled library) sees it: {@code helm lint --strict} and
 * {@code helm template} of release {@value #RELEASE} in namespace {@value #NAMESPACE}, values given as
 * {@code --set key=value}, hooks included (see {@link VisibleHooksCopy}). Helm's {@code lookup} asks the
 * {@link FakeKubernetesApi}: it finds nothing, as on a first install, unless a test
 * {@link #template(Map, List) installs} objects first, as before an upgrade.
 *
 * <p>Renderings are cached by their values and installed objects: rendering is deterministic but for generated
 * secrets, which no test compares across renderings.
 */
final class HelmChart {

    static final String RELEASE = "demo";
    static final String NAMESPACE = "flowraft";
    /** The chart's fullname for release {@value #RELEASE}: the release name does not contain "flowraft". */
    static final String FULLNAME = RELEASE + "-flowraft";

    private static final String WORK_DIR_PROPERTY = "flowraft.chart.work.dir";
    private static final Map<List<Object>, Rendered> RENDERED = new ConcurrentHashMap<>();
    private static final Map<Path, Path> VISIBLE_HOOKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path rendered;

    private HelmChart(Path dir, Path rendered) {
        this.dir = dir;
        this.rendered = rendered;
    }

    /** The chart of this checkout: {@code <flowraft.repo.root>/helm/flowraft}. */
    static HelmChart flowraft() {
        Path dir = Path.of(System.getProperty("flowraft.repo.root", "..")).resolve("helm/flowraft").toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + dir + " (system property flowraft.repo.root is "
                    + System.getProperty("flowraft.repo.root") + ")");
        }
        FakeKubernetesApi.get(); // before Helm first reads $KUBECONFIG
        return new HelmChart(dir, visibleHooks(dir));
    }

    /** The copy {@code template} renders, made once per test run (chart files do not change during one). */
    private static Path visibleHooks(Path dir) {
        String workDir = System.getProperty(WORK_DIR_PROPERTY);
        if (workDir == null) {
            throw new IllegalStateException("system property " + WORK_DIR_PROPERTY + " is not set: run the tests through"
                    + " Maven (deploy-tests/pom.xml sets it)");
        }
        return VISIBLE_HOOKS.computeIfAbsent(dir, d -> VisibleHooksCopy.of(d,
                Path.of(workDir).resolve("chart-with-visible-hooks").resolve(d.getFileName())));
    }

    Path dir() {
        return dir;
    }

    /** {@code helm lint --strict} with the chart's default values. */
    LintResult lint() {
        return new Helm(dir).lint().strict().call();
    }

    /**
     * NOTES.txt as {@code helm install} prints it (a client-only dry run: {@code template} does not render notes).
     */
    String notes(Map<String, String> values) {
        InstallCommand install = new Helm(dir).install().withName(RELEASE).withNamespace(NAMESPACE).dryRun()
                .withDryRunOption(DryRun.CLIENT).clientOnly();
        values.forEach(install::set);
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:\n");
        if (notes < 0) {
            throw new AssertionError("helm install printed no notes:\n" + output);
        }
        return output.substring(notes + "NOTES:\n".length());
    }

    /** The manifests {@code helm template} renders with these values set, parsed. */
    Rendered template(Map<String, String> values) {
        return template(values, List.of());
    }

    /** The manifests rendered while the cluster holds these objects (what {@code lookup} finds), parsed. */
    Rendered template(Map<String, String> values, List<? extends HasMetadata> installed) {
        List<Object> key = List.of(new TreeMap<>(values), installed.stream().map(Rendered.SERIALIZATION::asJson).toList());
        return RENDERED.computeIfAbsent(key, k -> Rendered.parse(templateYaml(values, installed)));
    }

    Rendered template() {
        return template(Map.of());
    }

    /**
     * The output of {@code helm template} with these values set, hooks included ({@link VisibleHooksCopy}). Throws
     * with Helm's message when rendering or the values schema fails.
     */
    String templateYaml(Map<String, String> values) {
        return templateYaml(values, List.of());
    }

    /** {@link #templateYaml(Map)} while the cluster holds these objects. */
    String templateYaml(Map<String, String> values, List<? extends HasMetadata> installed) {
        synchronized (HelmChart.class) {
            FakeKubernetesApi cluster = FakeKubernetesApi.get();
            cluster.clear(NAMESPACE);
            installed.forEach(object -> cluster.put(NAMESPACE, object));
            try {
                TemplateCommand template = new Helm(rendered).template().withName(RELEASE).withNamespace(NAMESPACE);
                values.forEach(template::set);
                return VisibleHooksCopy.restoreHookAnnotations(template.call());
            } finally {
                cluster.clear(NAMESPACE);
            }
        }
    }

    /** {@code helm template} of the chart itself, not of its copy: hooks left out, as helm-java does. */
    String templateOfTheChartItself(Map<String, String> values) {
        synchronized (HelmChart.class) {
            TemplateCommand template = new Helm(dir).template().withName(RELEASE).withNamespace(NAMESPACE);
            values.forEach(template::set);
            return template.call();
        }
    }
}
