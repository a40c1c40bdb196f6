package io.flowraft.coordinator.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;

/**
 * The configured API keys, held as SHA-256 digests only. A presented key is hashed and compared with every
 * digest in constant time, so neither a match's position nor a near miss shows in the answer's timing. Keys
 * are random 256-bit strings ({@code ./flowraft up} and {@code flowraft apikey} make them), for which a plain
 * SHA-256 is as safe as a slow password hash and costs a microsecond per request.
 */
public final class ApiKeys {

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys from(SecurityProperties properties) {
        List<Entry> entries = new ArrayList<>();
        for (SecurityProperties.ApiKey key : properties.apiKeys()) {
            entries.add(Entry.of(key));
        }
        if (properties.apiKeysFile() != null) {
            entries.addAll(readFile(properties.apiKeysFile()));
        }
        return new ApiKeys(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The authentication a presented key stands for, or empty if it is no configured key. */
    Optional<ApiKeyAuthentication> authenticate(String presented) {
        byte[] digest = sha256(presented);
        Entry match = null;
        for (Entry entry : entries) {
            // no early exit: every digest is compared whatever matched before
            if (MessageDigest.isEqual(entry.digest, digest) && match == null) {
                match = entry;
            }
        }
        return Optional.ofNullable(match).map(e -> new ApiKeyAuthentication(e.principal, e.authorities, e.perSecond));
    }

    /** The SHA-256 of a key as configured: 64 lower-case hex digits. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static List<Entry> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("flowraft.security.api-keys-file: cannot read " + file, e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int comment = line.indexOf('#');
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = "flowraft.security.api-keys-file " + file + " line " + (i + 1);
            if (parts.length < 3 || parts.length > 4) {
                throw new IllegalArgumentException(where + ": expected 'principal roles sha256 [perSecond]'");
            }
            Double perSecond;
            try {
                perSecond = parts.length == 4 ? Double.valueOf(parts[3]) : null;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": perSecond '" + parts[3] + "' is not a number", e);
            }
            SecurityProperties.ApiKey key = new SecurityProperties.ApiKey(parts[0], Arrays.asList(parts[1].split(",")),
                    parts[2], perSecond);
            key.check(where);
            entries.add(Entry.of(key));
        }
        return entries;
    }

    private record Entry(String principal, List<GrantedAuthority> authorities, byte[] digest, Double perSecond) {

        static Entry of(SecurityProperties.ApiKey key) {
            List<GrantedAuthority> authorities = key.roles().stream().map(Role::parse).distinct()
                    .map(Role::authority).toList();
            return new Entry(key.principal().strip(), authorities,
                    HexFormat.of().parseHex(key.sha256().toLowerCase(Locale.ROOT)), key.perSecond());
        }
    }
}
