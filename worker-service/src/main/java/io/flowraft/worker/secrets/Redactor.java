package io.flowraft.worker.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Removes the secret values an attempt resolved from what it reports: each value is replaced by {@value #MASK}
 * wherever it appears as it is, JSON-escaped (a JSON document quoted as text), Base64 (standard and URL-safe, with
 * and without padding) or URL-encoded. A value encoded otherwise, or cut in pieces, is not found: handlers must
 * still not echo secrets on purpose.
 */
public final class Redactor {

    public static final String MASK = "***";

    private static final Redactor NONE = new Redactor(List.of());

    /** The forms to replace, longest first, so that a form containing another is replaced whole. */
    private final List<String> forms;

    private Redactor(List<String> forms) {
        this.forms = forms;
    }

    /** Redacts nothing: the attempt resolved no secret. */
    public static Redactor none() {
        return NONE;
    }

    /** Redacts {@code values} and their encoded forms; empty values are ignored. */
    public static Redactor of(Collection<String> values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            forms.add(value);
            forms.add(new String(JsonStringEncoder.getInstance().quoteAsCharArray(value)));
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            forms.add(Base64.getEncoder().encodeToString(bytes));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
            forms.add(url);
            forms.add(url.replace("+", "%20"));
        }
        return forms.isEmpty() ? NONE
                : new Redactor(forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** {@code text} with every form of every secret replaced; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        String redacted = text;
        for (String form : forms) {
            if (redacted.contains(form)) {
                redacted = redacted.replace(form, MASK);
            }
        }
        return redacted;
    }

    /**
     * {@code json} with its strings and member names redacted; a number or boolean whose text holds a secret
     * becomes the redacted string. Returns {@code json} itself when nothing changes.
     */
    public JsonNode redact(JsonNode json) {
        if (json == null || forms.isEmpty()) {
            return json;
        }
        return JsonStrings.map(json, this::redact, this::redact, scalar -> {
            String text = scalar.asString();
            String redacted = redact(text);
            return redacted.equals(text) ? scalar : StringNode.valueOf(redacted);
        });
    }
}
