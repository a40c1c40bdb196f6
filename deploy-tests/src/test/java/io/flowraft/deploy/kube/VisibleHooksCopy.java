package io.flowraft.deploy.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a chart whose hooks {@code template} renders too. helm-java's {@code template} returns the release's
 * manifest without its hooks (the {@code helm template} command prints both), so the test pod and the pre-upgrade
 * Job would go unseen. In the copy the templates' {@code helm.sh/hook} annotation keys (and {@code -weight},
 * {@code -delete-policy}) carry another prefix, which makes Helm treat those objects as ordinary ones;
 * {@link #restoreHookAnnotations} puts the real keys back into the rendered text. Nothing else changes.
 */
public final class VisibleHooksCopy {

    private static final String HOOK = "helm.sh/hook";
    private static final String DISGUISED = "render.flowraft.io/hook";

    private VisibleHooksCopy() {
    }

    /** Copies the chart to {@code target} (replacing what is there) with its hook annotations disguised. */
    public static Path of(Path chart, Path target) {
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(chart)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Path copy = target.resolve(chart.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                if (chart.relativize(file).startsWith("templates")) {
                    Files.writeString(copy, Files.readString(file).replace(HOOK, DISGUISED));
                } else {
                    Files.copy(file, copy);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rendered text with the hook annotations under their real keys. */
    public static String restoreHookAnnotations(String rendered) {
        return rendered.replace(DISGUISED, HOOK);
    }
}
