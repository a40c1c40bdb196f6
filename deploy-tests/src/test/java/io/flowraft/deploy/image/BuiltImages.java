package io.flowraft.deploy.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The images this build made ({@code mvn verify -Pimages}, as {@code ./flowraft test} runs it): their tars, and their
 * root filesystems extracted once per image content under {@code deploy-tests/target/image-roots/<name>} (kept
 * between runs while the image's manifest digest stays the same; Jib's images are reproducible).
 *
 * <p>Names are those of the images: {@code coordinator}, {@code worker}, {@code cli}.
 */
public final class BuiltImages {

    public static final List<String> NAMES = List.of("coordinator", "worker", "cli");

    private static final Map<String, ExtractedImage> EXTRACTED = new HashMap<>();

    private BuiltImages() {
    }

    /** The tar of image {@code name}; fails, saying how to build it, when the build made none. */
    public static Path tar(String name) {
        String property = "flowraft.image." + name + ".tar";
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run through Maven"
                    + " (deploy-tests/pom.xml sets it)");
        }
        Path tar = Path.of(value).normalize();
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException("No image tar at " + tar + ": build the images first, with"
                    + " ./flowraft test, ./flowraft images --offline-base, or mvn package -Pimages"
                    + " -Dflowraft.image.base=tar://$PWD/target/images/offline-base.tar (images/offline-base.sh)");
        }
        return tar;
    }

    /** The version the images are tagged with (the project's). */
    public static String version() {
        return System.getProperty("flowraft.image.version", "0.1.0-SNAPSHOT");
    }

    /** Image {@code name} extracted (once per JVM, and again only when its content changed); share, don't write. */
    public static synchronized ExtractedImage extracted(String name) {
        return EXTRACTED.computeIfAbsent(name, BuiltImages::extract);
    }

    private static ExtractedImage extract(String name) {
        Path base = Path.of(System.getProperty("flowraft.image.extract.dir", "target/image-roots"));
        Path root = base.resolve(name);
        Path marker = base.resolve(name + ".digest");
        try (ImageTar image = ImageTar.open(tar(name))) {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(image.manifest().toString().getBytes(StandardCharsets.UTF_8)));
            if (Files.isDirectory(root) && Files.isRegularFile(marker) && Files.readString(marker).equals(digest)) {
                return new ExtractedImage(root.toRealPath(), image.config());
            }
            ImageTar.deleteRecursively(root);
            Files.deleteIfExists(marker);
            ExtractedImage extracted = image.extractTo(root);
            Files.writeString(marker, digest);
            return extracted;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract image " + name + " to " + root, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
