package io.flowraft.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of one {@code helm template}: each document as Helm wrote it and as a typed fabric8 object (kinds
 * fabric8 does not know, the custom resources, come back as {@link GenericKubernetesResource}). Hooks are included.
 */
final class Rendered {

    /** Shared: building one registers every model class fabric8 knows. */
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (\\S+)");

    /**
     * One rendered document.
     *
     * @param source the template it came from ({@code flowraft/templates/...}), or {@code ?}
     * @param yaml   the document's text
     * @param raw    the document as a plain tree, exactly as written
     * @param object the document as a typed object
     */
    record Manifest(String source, String yaml, JsonNode raw, HasMetadata object) {

        String describe() {
            return object.getKind() + " " + object.getMetadata().getName() + " (" + source + ")";
        }
    }

    private final List<Manifest> manifests;

    private Rendered(List<Manifest> manifests) {
        this.manifests = List.copyOf(manifests);
    }

    /** Parses Helm's multi-document output; empty documents (a template that rendered nothing) are skipped. */
    static Rendered parse(String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            Optional<Manifest> manifest = manifest(document);
            manifest.ifPresent(manifests::add);
        }
        return new Rendered(manifests);
    }

    /** One document as a manifest, or empty when it holds nothing but comments. */
    static Optional<Manifest> manifest(String document) {
        JsonNode raw;
        try {
            raw = YAML.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML:\n" + document, e);
        }
        if (raw == null || raw.isMissingNode() || raw.isNull()) {
            return Optional.empty();
        }
        Matcher source = SOURCE.matcher(document);
        HasMetadata object = SERIALIZATION.unmarshal(document, HasMetadata.class);
        return Optional.of(new Manifest(source.find() ? source.group(1) : "?", document, raw, object));
    }

    List<Manifest> manifests() {
        return manifests;
    }

    List<HasMetadata> objects() {
        return manifests.stream().map(Manifest::object).toList();
    }

    /** Every object of this type, hooks included. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects().stream().filter(o -> o.getClass() == type).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** The object of this type and name; fails naming what was rendered instead. */
    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                + " rendered; rendered: " + names()));
    }

    /** The custom resources of this kind ({@code ScaledObject}, {@code ServiceMonitor}, ...). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    Optional<GenericKubernetesResource> findCustom(String kind, String name) {
        return custom(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    GenericKubernetesResource getCustom(String kind, String name) {
        return findCustom(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name
                + " rendered; rendered: " + names()));
    }

    /** The hooks of this phase ({@code test}, {@code pre-upgrade}, ...) of this type. */
    <T extends HasMetadata> List<T> hooks(String phase, Class<T> type) {
        return all(type).stream().filter(o -> hookPhases(o).contains(phase)).toList();
    }

    /** The phases in the object's {@code helm.sh/hook} annotation; empty for an object that is no hook. */
    static List<String> hookPhases(HasMetadata object) {
        String hook = object.getMetadata().getAnnotations() == null ? null
                : object.getMetadata().getAnnotations().get("helm.sh/hook");
        return hook == null ? List.of() : List.of(hook.split("\\s*,\\s*"));
    }

    /** {@code Kind/name} of every object, for messages. */
    List<String> names() {
        return objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
