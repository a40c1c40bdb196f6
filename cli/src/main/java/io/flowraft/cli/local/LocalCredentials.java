package io.flowraft.cli.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys of one local run, made fresh each time: an API key per role that {@code ./flowraft up}, the demo and
 * the bench use (principals {@code admin}, {@code client}, {@code worker}), and the cluster secret that
 * authenticates forwarding between coordinators. Coordinators get only the keys' SHA-256; workers get their key
 * in the environment, never on a command line others can read with {@code ps}.
 */
public record LocalCredentials(String adminKey, String clientKey, String workerKey, String clusterSecret) {

    /** The file name under the run's directory, in shell syntax: {@code set -a; . credentials.env; set +a}. */
    public static final String FILE = "credentials.env";

    private static final SecureRandom RANDOM = new SecureRandom();

    public static LocalCredentials generate() {
        return new LocalCredentials(key("admin"), key("client"), key("worker"), key("cluster"));
    }

    private static String key(String role) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fr_" + role + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The coordinator's settings that admit these keys. */
    public List<String> coordinatorArguments() {
        return List.of(
                "--flowraft.security.api-keys[0].principal=admin", "--flowraft.security.api-keys[0].roles=admin",
                "--flowraft.security.api-keys[0].sha256=" + sha256(adminKey),
                "--flowraft.security.api-keys[1].principal=client", "--flowraft.security.api-keys[1].roles=client",
                "--flowraft.security.api-keys[1].sha256=" + sha256(clientKey),
                "--flowraft.security.api-keys[2].principal=worker", "--flowraft.security.api-keys[2].roles=worker",
                "--flowraft.security.api-keys[2].sha256=" + sha256(workerKey));
    }

    /** Writes {@code dir/credentials.env}, readable by its owner only, and returns its path. */
    public Path write(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions protect it
        }
        Files.writeString(file, "FLOWRAFT_ADMIN_KEY=" + adminKey + "\n"
                + "FLOWRAFT_CLIENT_KEY=" + clientKey + "\n"
                + "FLOWRAFT_WORKER_KEY=" + workerKey + "\n"
                + "FLOWRAFT_CLUSTER_SECRET=" + clusterSecret + "\n", StandardCharsets.UTF_8);
        return file;
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "LocalCredentials[***]";
    }
}
