package io.flowraft.worker.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a worker finds secret values: its environment ({@code FLOWRAFT_SECRET_<NAME>}, the name upper-cased with
 * every other character than a letter or digit written {@code _}), then a directory holding one file per secret
 * named after it, as Kubernetes mounts a Secret volume (one trailing newline is stripped). An empty value counts
 * as not set. Values are read when asked for, so a rotated Secret is seen by the next task.
 */
public final class SecretStore {

    /** What a secret name may be: it also names a file, so no dots, slashes or other path syntax. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    /** A secret file longer than this is refused: it is not a secret but a mistake (or a device). */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private final Map<String, String> environment;
    private final Path directory;

    /**
     * @param environment the process environment ({@code System.getenv()})
     * @param directory   the mounted secrets directory, or {@code null} for none
     */
    public SecretStore(Map<String, String> environment, Path directory) {
        this.environment = Map.copyOf(environment);
        this.directory = directory;
    }

    /** The environment variable that holds secret {@code name}. */
    public static String variable(String name) {
        return "FLOWRAFT_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Where this store looks for {@code name}, for messages (never a value). */
    String places(String name) {
        return "environment variable " + variable(name)
                + (directory == null ? "" : " or file " + directory.resolve(name));
    }

    /**
     * The value of secret {@code name}, or empty if it is set nowhere.
     *
     * @throws IllegalArgumentException if {@code name} is not a valid secret name
     * @throws IOException if the secret's file exists but cannot be read, or is too long
     */
    public Optional<String> value(String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a secret name (" + NAME.pattern() + ")");
        }
        String fromEnvironment = environment.get(variable(name));
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Optional.of(fromEnvironment);
        }
        if (directory == null) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(directory.resolve(name))) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException("The file of secret '" + name + "' is longer than " + MAX_FILE_BYTES + " bytes");
        }
        String value = new String(bytes, StandardCharsets.UTF_8);
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
