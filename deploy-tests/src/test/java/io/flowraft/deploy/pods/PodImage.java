package io.flowraft.deploy.pods;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a container runtime takes from an image to start a container: its file system (extracted from the image
 * tar the build made), entrypoint, default arguments, environment and working directory.
 */
record PodImage(String reference, Path root, List<String> entrypoint, List<String> cmd, Map<String, String> env,
        String workingDir) {
}
