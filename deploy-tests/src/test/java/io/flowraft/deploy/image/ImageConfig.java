package io.flowraft.deploy.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What an image's config says about the container it makes (the {@code config} object of the OCI image config,
 * the same in Docker's format): how it starts, as whom, where, with which environment, ports, volumes and labels.
 *
 * @param entrypoint empty when the image sets none
 * @param cmd the default arguments, empty when none
 * @param env the environment, in the image's order; a value may itself contain '='
 * @param workingDir "" when unset (the container then starts in /)
 * @param user "" when unset (root)
 * @param exposedPorts as written, e.g. "8081/tcp"
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, Map<String, String> env, String workingDir,
        String user, Set<String> exposedPorts, Set<String> volumes, Map<String, String> labels) {

    static ImageConfig of(JsonNode imageConfig) {
        JsonNode config = imageConfig.path("config");
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(config.path("Env"))) {
            int eq = entry.indexOf('=');
            env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asString()));
        return new ImageConfig(strings(config.path("Entrypoint")), strings(config.path("Cmd")), Collections.unmodifiableMap(env),
                config.path("WorkingDir").asString(""), config.path("User").asString(""),
                keys(config.path("ExposedPorts")), keys(config.path("Volumes")), Collections.unmodifiableMap(labels));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return List.copyOf(values);
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new LinkedHashSet<>();
        object.properties().forEach(entry -> keys.add(entry.getKey()));
        return Set.copyOf(keys);
    }
}
