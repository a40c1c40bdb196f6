package io.flowraft.coordinator.api.error;

import java.util.Locale;

/** Names client-sent values in problem details without echoing control characters or kilobytes back. */
public final class Quote {

    private static final int MAX_VALUE = 80;
    private static final int MAX_DETAIL = 500;

    private Quote() {
    }

    /** {@code 'value'}, control characters escaped, cut after 80 characters; {@code nothing} for null. */
    public static String of(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder("'");
        int n = Math.min(text.length(), MAX_VALUE);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append(text.length() > MAX_VALUE ? "…'" : "'").toString();
    }

    /** A detail cut to a readable length: some messages quote what the client sent. */
    static String detail(String detail) {
        return detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "…";
    }
}
