package io.flowraft.worker.spi;

/**
 * Makes text that came from elsewhere (a response body, a remote error message, a task's error) safe to put in a
 * log line: a CR or LF in it would otherwise start a forged log line, and other control or bidirectional
 * formatting characters could hide or reorder what an operator reads.
 */
public final class RemoteText {

    private RemoteText() {
    }

    /**
     * {@code text} on one line: {@code \r}, {@code \n}, {@code \t} and {@code \\} escaped as in Java source, every
     * other control character, line or paragraph separator and bidirectional formatting character as
     * {@code \}{@code uXXXX}. {@code null} gives {@code "null"}. Idempotent only in the sense that escaped text
     * stays on one line; escaping twice doubles the backslashes.
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\r' -> "\\r";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\\' -> "\\\\";
                default -> needsEscape(c) ? String.format("\\u%04x", (int) c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c)
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e') // bidirectional embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069') // bidirectional isolates
                || c == '\u200e' || c == '\u200f' || c == '\u061c'; // direction marks
    }
}
