package io.flowraft.deploy.pods;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pod's file system seen from the host: each container path prefix (a volume's mount path, the image's own
 * directories) maps to a host directory. Strings from the rendered manifests (env values, args, an argument file's
 * content) are rewritten in one pass, so a mapped path is never mapped again.
 */
final class PathMap {

    private record Mount(String containerPath, Path hostPath) {
    }

    private final List<Mount> mounts = new ArrayList<>();

    PathMap mount(String containerPath, Path hostPath) {
        String normalized = containerPath.endsWith("/") && containerPath.length() > 1
                ? containerPath.substring(0, containerPath.length() - 1) : containerPath;
        mounts.add(new Mount(normalized, hostPath.toAbsolutePath()));
        // The longest prefix wins: /etc/flowraft/config before /etc.
        mounts.sort(Comparator.comparingInt((Mount m) -> m.containerPath().length()).reversed());
        return this;
    }

    /** The host path of a container path; the path itself when no mount covers it. */
    Path hostPath(String containerPath) {
        String mapped = map(containerPath);
        return Path.of(mapped);
    }

    /**
     * Rewrites every container path in {@code text}: a mount prefix that starts at the beginning or after a
     * separator ({@code : = , @ space quote}) and ends at the end, at a {@code /} or at a separator.
     */
    String map(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        int i = 0;
        while (i < text.length()) {
            Mount match = startsAt(text, i);
            if (match == null) {
                out.append(text.charAt(i++));
            } else {
                out.append(match.hostPath());
                i += match.containerPath().length();
            }
        }
        return out.toString();
    }

    private Mount startsAt(String text, int i) {
        if (i > 0 && !isSeparator(text.charAt(i - 1))) {
            return null;
        }
        for (Mount m : mounts) {
            String prefix = m.containerPath();
            if (text.startsWith(prefix, i)) {
                int end = i + prefix.length();
                if (end == text.length() || text.charAt(end) == '/' || isSeparator(text.charAt(end))) {
                    return m;
                }
            }
        }
        return null;
    }

    private static boolean isSeparator(char c) {
        return c == ':' || c == '=' || c == ',' || c == '@' || c == ' ' || c == '"' || c == '\'' || c == ';';
    }
}
