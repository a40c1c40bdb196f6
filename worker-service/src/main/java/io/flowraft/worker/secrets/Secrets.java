package io.flowraft.worker.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * Resolves the {@code ${secrets.NAME}} references of a task's input on the worker, just before its handler runs,
 * so secret values never travel through the coordinators (their log, snapshots and history hold the reference).
 *
 * <p>A reference is resolved only if {@code flowraft.worker.secrets.allowed.<type>} names it for the task's type;
 * nothing is allowed by default. A refused or unset secret fails the task for good, naming the secret.
 *
 * <p>Reading rules, matching what the coordinator renders: in any JSON string value (not member names),
 * {@code ${secrets.NAME}} is replaced by the value (a whole-string reference gives a string), and
 * <code>$${secrets.</code> stands for the literal text <code>${secrets.</code> (the coordinator writes references
 * that come from data so, and they are never resolved). Anything else is kept as it is.
 */
public final class Secrets {

    private static final String REFERENCE = "${secrets.";
    private static final String ESCAPED = "$" + REFERENCE;

    /** An input with its secrets resolved, and what must be redacted from what the attempt reports. */
    public record Resolution(JsonNode input, Redactor redactor) {
    }

    private final SecretStore store;
    private final Map<String, Set<String>> allowed;

    /** @param allowed the secret names each task type may resolve */
    public Secrets(SecretStore store, Map<String, ? extends Iterable<String>> allowed) {
        this.store = store;
        Map<String, Set<String>> copy = new TreeMap<>();
        allowed.forEach((type, names) -> {
            TreeSet<String> set = new TreeSet<>();
            names.forEach(name -> set.add(name.trim()));
            set.remove("");
            copy.put(type, Set.copyOf(set));
        });
        this.allowed = Map.copyOf(copy);
    }

    /**
     * Resolves every secret {@code input} references for a task of {@code type}.
     *
     * @return the input itself and {@link Redactor#none()} when it references no secret
     * @throws SecretRefusedException if a secret is not allowed for {@code type} or not set on this worker
     * @throws IOException if a secret's file cannot be read (perhaps a transient mount problem: retryable)
     */
    public Resolution resolve(String type, JsonNode input) throws IOException {
        if (input == null || !mentions(input)) {
            return new Resolution(input, Redactor.none());
        }
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode resolved;
        try {
            resolved = JsonStrings.map(input, text -> substitute(type, text, values), UnaryOperator.identity(),
                    UnaryOperator.identity());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Resolution(resolved, Redactor.of(values.values()));
    }

    /** The names {@code type} may resolve (empty unless configured). */
    public Set<String> allowedFor(String type) {
        return allowed.getOrDefault(type, Set.of());
    }

    private static boolean mentions(JsonNode json) {
        if (json.isString()) {
            return json.asString().contains(REFERENCE);
        }
        for (JsonNode child : json.values()) {
            if (mentions(child)) {
                return true;
            }
        }
        return false;
    }

    private String substitute(String type, String text, Map<String, String> values) {
        if (!text.contains(REFERENCE)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(ESCAPED, i)) {
                out.append(REFERENCE);
                i += ESCAPED.length();
            } else if (text.startsWith(REFERENCE, i)) {
                int close = text.indexOf('}', i + REFERENCE.length());
                String name = close < 0 ? "" : text.substring(i + REFERENCE.length(), close);
                if (!SecretStore.NAME.matcher(name).matches()) {
                    // Not a reference the coordinator would have accepted: literal text.
                    out.append(REFERENCE);
                    i += REFERENCE.length();
                    continue;
                }
                out.append(values.computeIfAbsent(name, n -> value(type, n)));
                i = close + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private String value(String type, String name) {
        if (!allowedFor(type).contains(name)) {
            throw new SecretRefusedException("Secret '" + name + "' is not allowed for task type '" + type
                    + "' on this worker (flowraft.worker.secrets.allowed." + type + " lists the secrets it may use)");
        }
        Optional<String> value;
        try {
            value = store.value(name);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Secret '" + name + "' could not be read: " + e.getMessage(), e));
        }
        return value.orElseThrow(() -> new SecretRefusedException("Secret '" + name + "' is not set on this worker ("
                + store.places(name) + ")"));
    }
}
