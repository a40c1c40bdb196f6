package io.flowraft.deploy.pods;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flowraft.deploy.kube.FakeKubernetesApi;
import io.flowraft.deploy.kube.VisibleHooksCopy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code helm/flowraft} with real Helm into the objects and hooks a {@link LocalCluster} installs, the chart's
 * {@code lookup}s answered by the {@link FakeKubernetesApi} (what the cluster holds).
 *
 * <p>helm-java's template leaves hooks out of its output; the chart is rendered from a {@link VisibleHooksCopy}.
 */
final class ChartReleases {

    private static final String HOOK_PREFIX = "helm.sh/hook";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ChartReleases() {
    }

    static Path chart() {
        return Path.of(System.getProperty("flowraft.repo.root", "..")).resolve("helm/flowraft").toAbsolutePath().normalize();
    }

    /** {@code helm upgrade --install <release> helm/flowraft -n <namespace> --set k=v...} as rendered, parsed. */
    static Release render(String release, String namespace, Map<String, String> values) {
        FakeKubernetesApi.get();
        try {
            Path copy = VisibleHooksCopy.of(chart(), Files.createTempDirectory("flowraft-chart-"));
            try {
                var template = new Helm(copy).template().withName(release).withNamespace(namespace);
                values.forEach(template::set);
                return parse(VisibleHooksCopy.restoreHookAnnotations(template.call()));
            } finally {
                LocalPod.deleteTree(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Release parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        Map<HasMetadata, String> hookPhases = new IdentityHashMap<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            HasMetadata object = SERIALIZATION.unmarshal(document);
            objects.add(object);
            Map<String, String> annotations = object.getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey(HOOK_PREFIX)) {
                hookPhases.put(object, annotations.get(HOOK_PREFIX));
            }
        }
        return new Release(List.copyOf(objects), hookPhases);
    }
}
