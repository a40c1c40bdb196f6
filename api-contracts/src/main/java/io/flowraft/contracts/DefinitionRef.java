package io.flowraft.contracts;

import java.util.regex.Pattern;

/**
 * A reference to a definition as written on the wire: {@code "orders"} (the latest version) or
 * {@code "orders@3"} (that version). Parsed here once so the coordinator, the CLI and clients agree on it.
 *
 * @param name the definition name, matching {@value #NAME_PATTERN} (so never containing {@code '@'})
 * @param version the version, at least 1, or {@code null} for the latest
 */
public record DefinitionRef(String name, Integer version) {

    /** What a definition name must match: the task id alphabet: no '.', which separates the parts of a lease id. */
    public static final String NAME_PATTERN = "[a-zA-Z0-9_-]{1,64}";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    public DefinitionRef {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Expected a definition name matching " + NAME_PATTERN
                    + ", but found '" + name + "'");
        }
        if (version != null && version < 1) {
            throw new IllegalArgumentException("Expected a definition version of at least 1, but found " + version);
        }
    }

    /**
     * Parses {@code name} or {@code name@version}.
     *
     * @throws IllegalArgumentException if the name or version is malformed; the message says what was found
     */
    public static DefinitionRef parse(String reference) {
        if (reference == null) {
            throw new IllegalArgumentException("Expected a definition reference 'name' or 'name@version', but found null");
        }
        int at = reference.indexOf('@');
        if (at < 0) {
            return new DefinitionRef(reference, null);
        }
        String version = reference.substring(at + 1);
        // Digits only, and few enough to fit an int: "+3", "03 " or "1e3" are not versions.
        if (!version.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("Expected a version number after '@' in '" + reference
                    + "', but found '" + version + "'");
        }
        return new DefinitionRef(reference.substring(0, at), Integer.parseInt(version));
    }

    /** The wire form: {@code name} or {@code name@version}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return version == null ? name : name + "@" + version;
    }
}
