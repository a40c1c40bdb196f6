package io.flowraft.coordinator.engine.validation;

import java.nio.charset.StandardCharsets;

/** Sizes and truncation of the JSON and text the engine keeps. */
public final class Payloads {

    private Payloads() {
    }

    /**
     * The UTF-8 encoded length, without encoding. A lone surrogate counts 1, as Java's encoder replaces it
     * with '?'.
     */
    public static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Cuts a message to at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    public static String truncate(String s, int maxBytes) {
        if (s == null) {
            return null;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return s;
        }
        int end = maxBytes - 3; // room for the ellipsis
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + "…";
    }
}
