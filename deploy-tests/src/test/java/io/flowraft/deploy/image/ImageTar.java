package io.flowraft.deploy.image;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An image as Jib's {@code buildTar} writes it: an OCI image layout ({@code index.json}, {@code blobs/sha256/..})
 * or Docker's {@code docker save} format ({@code manifest.json}), both read here. It gives the manifest, the config
 * and the layers, and extracts the root filesystem the layers make, in order, honouring whiteouts.
 *
 * <p>Reads the tar where it lies (random access), so an image of a few hundred MB costs no copy. Not thread-safe.
 */
public final class ImageTar implements Closeable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    /** One layer: its entry in the tar, its media type ("" in Docker's format) and its size in the tar. */
    public record Layer(String entry, String mediaType, long size) {
    }

    private final Path tar;
    private final TarFile file;
    private final Map<String, TarArchiveEntry> entries;
    private final String reference;
    private final JsonNode manifest;
    private final String configEntry;
    private final List<Layer> layers;

    private ImageTar(Path tar) throws IOException {
        this.tar = tar;
        this.file = new TarFile(tar);
        this.entries = file.getEntries().stream()
                .collect(Collectors.toMap(e -> normalize(e.getName()), Function.identity(), (a, b) -> b));
        if (entries.containsKey("index.json")) {
            JsonNode index = json("index.json").path("manifests").path(0);
            reference = index.path("annotations").path("org.opencontainers.image.ref.name").asString("");
            manifest = json(blob(index.path("digest").asString()));
            configEntry = blob(manifest.path("config").path("digest").asString());
            List<Layer> found = new ArrayList<>();
            manifest.path("layers").forEach(layer -> found.add(new Layer(blob(layer.path("digest").asString()),
                    layer.path("mediaType").asString(""), layer.path("size").asLong())));
            layers = List.copyOf(found);
        } else if (entries.containsKey("manifest.json")) {
            manifest = json("manifest.json").path(0);
            reference = manifest.path("RepoTags").path(0).asString("");
            configEntry = manifest.path("Config").asString();
            List<Layer> found = new ArrayList<>();
            manifest.path("Layers").forEach(layer -> found.add(new Layer(layer.asString(), "",
                    entry(layer.asString()).getSize())));
            layers = List.copyOf(found);
        } else {
            file.close();
            throw new IllegalArgumentException(tar + " is neither an OCI image layout nor a docker save tar"
                    + " (expected index.json or manifest.json at its root, found " + entries.keySet() + ")");
        }
    }

    /** Opens the image tar at {@code tar}; close it when done. */
    public static ImageTar open(Path tar) {
        try {
            return new ImageTar(tar);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the image tar " + tar, e);
        }
    }

    public Path path() {
        return tar;
    }

    /** The name the image was built as, e.g. {@code ghcr.io/flowraft/cli:0.1.0-SNAPSHOT}; "" when it has none. */
    public String reference() {
        return reference;
    }

    /** The image manifest (OCI), or this image's entry of {@code manifest.json} (Docker). */
    public JsonNode manifest() {
        return manifest;
    }

    /** The whole image config document (architecture, os, config, rootfs, history). */
    public JsonNode configJson() {
        return json(configEntry);
    }

    public ImageConfig config() {
        return ImageConfig.of(configJson());
    }

    /** The layers, base first. */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Extracts the root filesystem into {@code root} (made if missing; whatever it holds already counts as lower
     * layers). File modes are kept (owner bits widened so the extracting user can write); owners are not.
     * Symbolic links are made as they are in the image, so an absolute target points into the host's tree.
     */
    public ExtractedImage extractTo(Path root) {
        try {
            Files.createDirectories(root);
            Path realRoot = root.toRealPath();
            for (Layer layer : layers) {
                try (TarArchiveInputStream in = new TarArchiveInputStream(uncompressed(file.getInputStream(
                        entry(layer.entry()))))) {
                    applyLayer(in, realRoot);
                }
            }
            return new ExtractedImage(realRoot, config());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract " + tar + " to " + root, e);
        }
    }

    /**
     * One layer on top of what is there: a {@code .wh.name} entry removes {@code name} of the layers below, a
     * {@code .wh..wh..opq} entry empties its directory of what the layers below put there (not of this layer's).
     */
    private static void applyLayer(TarArchiveInputStream in, Path root) throws IOException {
        Set<Path> written = new HashSet<>();
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
            String name = normalize(entry.getName());
            if (name.isEmpty()) {
                continue;
            }
            Path path = inside(root, name);
            String base = path.getFileName().toString();
            if (base.equals(OPAQUE)) {
                emptyBut(path.getParent(), written);
                continue;
            }
            if (base.startsWith(WHITEOUT)) {
                deleteRecursively(path.resolveSibling(base.substring(WHITEOUT.length())));
                continue;
            }
            Files.createDirectories(path.getParent());
            written.add(path);
            if (entry.isDirectory()) {
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(path);
                    Files.createDirectory(path);
                }
                Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0700));
            } else if (entry.isSymbolicLink()) {
                deleteRecursively(path);
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                deleteRecursively(path);
                Files.createLink(path, inside(root, normalize(entry.getLinkName())));
            } else if (entry.isFile()) {
                deleteRecursively(path);
                Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0600));
            }
            // devices and fifos have no place in these images and are skipped
        }
    }

    private static void emptyBut(Path dir, Set<Path> keep) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                if (!keep.contains(child)) {
                    deleteRecursively(child);
                }
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(path);
        }
    }

    /** The path of {@code name} under {@code root}; a name that would leave the root is refused. */
    private static Path inside(Path root, String name) {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("Layer entry '" + name + "' points outside the image root");
        }
        return path;
    }

    private static InputStream uncompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n.equals(".") ? "" : n;
    }

    private String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private TarArchiveEntry entry(String name) {
        TarArchiveEntry entry = entries.get(normalize(name));
        if (entry == null) {
            throw new IllegalStateException(tar + " has no entry " + name);
        }
        return entry;
    }

    private JsonNode json(String name) {
        try (InputStream in = file.getInputStream(entry(name))) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + " of " + tar, e);
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
