package io.flowraft.coordinator.engine.model;

import java.util.regex.Pattern;

/** The syntax of the names the engine accepts. Checked without regex on hot paths. */
public final class Ids {

    /** Task ids, workflow ids, definition names, task types: {@code [a-zA-Z0-9_-]{1,64}}. */
    public static final String ID_RULE = "[a-zA-Z0-9_-]{1,64}";
    public static final int MAX_ID_LENGTH = 64;
    /** Idempotency keys, worker ids, poll ids: 1 to 128 printable ASCII characters. */
    public static final String KEY_RULE = "1 to 128 printable ASCII characters";
    public static final int MAX_KEY_LENGTH = 128;
    public static final Pattern ID_PATTERN = Pattern.compile(ID_RULE);

    private Ids() {
    }

    public static boolean isValidId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidKey(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
