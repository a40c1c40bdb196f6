package io.flowraft.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether rendered manifests are objects the API server would accept as written: Kubernetes kinds by the typed
 * round trip ({@link TypedModelCheck}), custom resources by their schema ({@link CustomResourceSchema}); any
 * other apiVersion/kind (a misspelled one) is refused.
 */
final class ManifestSchema {

    private static final Set<String> CUSTOM_RESOURCE_TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec");

    private ManifestSchema() {
    }

    /** What is wrong with any manifest of the rendering, each line naming the object and the path. */
    static List<String> violations(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Rendered.Manifest manifest : rendered.manifests()) {
            violations(manifest).forEach(v -> violations.add(manifest.describe() + ": " + v));
        }
        return violations;
    }

    /** What is wrong with one manifest; empty when nothing. */
    static List<String> violations(Rendered.Manifest manifest) {
        if (!(manifest.object() instanceof GenericKubernetesResource custom)) {
            return TypedModelCheck.violations(manifest.object(), manifest.raw());
        }
        Optional<JsonNode> spec = CustomResourceSchema.specSchema(custom.getApiVersion(), custom.getKind());
        if (spec.isEmpty()) {
            return List.of(custom.getApiVersion() + " " + custom.getKind()
                    + ": neither a Kubernetes kind nor a custom resource the chart may render (custom-resources.yaml)");
        }
        List<String> violations = new ArrayList<>();
        for (Iterator<String> fields = manifest.raw().fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!CUSTOM_RESOURCE_TOP_LEVEL.contains(field)) {
                violations.add("." + field + ": unknown field");
            }
        }
        violations.addAll(TypedModelCheck.violations(custom.getMetadata(), manifest.raw().path("metadata"))
                .stream().map(v -> ".metadata" + v).toList());
        if (!manifest.raw().has("spec")) {
            violations.add(".spec: required");
        } else {
            violations.addAll(CustomResourceSchema.violations(spec.get(), manifest.raw().get("spec"), ".spec"));
        }
        return violations;
    }
}
