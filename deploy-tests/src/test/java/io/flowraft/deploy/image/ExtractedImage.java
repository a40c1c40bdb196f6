package io.flowraft.deploy.image;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An image's root filesystem extracted to a directory, with its config: what it takes to run "the container" as a
 * local process. {@link #processBuilder} starts the image's own java on the image's own classpath, both inside the
 * extracted root, with the image's environment and working directory; only the process's view of the filesystem
 * differs from a container's (absolute paths the program itself opens, such as a data directory, are the host's,
 * so give them in the environment or arguments as host paths).
 *
 * <p>The images name java by an absolute path and their classpath in an argument file
 * ({@code -cp @/app/jib-classpath-file}); both are mapped into the root here. It runs on this host only because the
 * offline base carries this host's glibc (images/offline-base.sh); the user's base (eclipse-temurin) would not.
 */
public final class ExtractedImage {

    private final Path root;
    private final ImageConfig config;

    ExtractedImage(Path root, ImageConfig config) {
        this.root = root;
        this.config = config;
    }

    /** The directory that stands for the image's {@code /}. */
    public Path root() {
        return root;
    }

    public ImageConfig config() {
        return config;
    }

    public List<String> entrypoint() {
        return config.entrypoint();
    }

    public List<String> cmd() {
        return config.cmd();
    }

    public Map<String, String> env() {
        return config.env();
    }

    public String workingDir() {
        return config.workingDir().isEmpty() ? "/" : config.workingDir();
    }

    public String user() {
        return config.user();
    }

    /** Where the image's absolute path {@code imagePath} lies on this host. */
    public Path hostPath(String imagePath) {
        if (!imagePath.startsWith("/")) {
            throw new IllegalArgumentException("Not an absolute path in the image: " + imagePath);
        }
        return root.resolve(imagePath.substring(1));
    }

    /**
     * The container's command line as a host command line: the entrypoint with {@code args} (the container's
     * args; when empty, the image's cmd), where the program path and each {@code @argfile} are mapped into the
     * root. An argument file is rewritten next to the root with every absolute path in it mapped the same way.
     */
    public List<String> hostCommand(List<String> args) {
        List<String> argv = new ArrayList<>(config.entrypoint());
        argv.addAll(args.isEmpty() ? config.cmd() : args);
        if (argv.isEmpty()) {
            throw new IllegalStateException("The image at " + root + " has neither entrypoint nor cmd");
        }
        List<String> command = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (i == 0 && arg.startsWith("/")) {
                command.add(hostPath(arg).toString());
            } else if (arg.startsWith("@/")) {
                command.add("@" + hostArgFile(arg.substring(1)));
            } else {
                command.add(arg);
            }
        }
        return command;
    }

    /**
     * A process like the container: {@link #hostCommand} run in the image's working directory with exactly the
     * image's environment plus {@code env} (which wins), none of this JVM's. Output is left to the caller.
     */
    public ProcessBuilder processBuilder(List<String> args, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(hostCommand(args)).directory(hostPath(workingDir()).toFile());
        builder.environment().clear();
        builder.environment().putAll(config.env());
        builder.environment().putAll(env);
        return builder;
    }

    /** The java the image runs, as a host path (the entrypoint's program). */
    public Path java() {
        return Path.of(hostCommand(List.of("-version")).getFirst());
    }

    private Path hostArgFile(String imagePath) {
        Path source = hostPath(imagePath);
        Path mapped = root.resolveSibling(root.getFileName() + ".argfiles").resolve(imagePath.substring(1));
        try {
            String content = Files.readString(source, StandardCharsets.UTF_8);
            Files.createDirectories(mapped.getParent());
            Files.writeString(mapped, Arrays.stream(content.strip().split("\\s+"))
                    .map(this::mapPathList).collect(Collectors.joining("\n")) + "\n", StandardCharsets.UTF_8);
            return mapped;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot map the argument file " + imagePath + " of " + root, e);
        }
    }

    /** "/app/classes:/app/libs/a.jar" to the same list under the root; relative entries stay as they are. */
    private String mapPathList(String token) {
        return Arrays.stream(token.split(File.pathSeparator, -1))
                .map(entry -> entry.startsWith("/") ? hostPath(entry).toString() : entry)
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Override
    public String toString() {
        return "ExtractedImage[" + root + "]";
    }
}
