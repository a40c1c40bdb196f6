package io.flowraft.contracts;

/**
 * The W3C trace context of a workflow (https://www.w3.org/TR/trace-context/): the {@code traceparent} a submit
 * brought or started, kept with the workflow, handed to workers in every lease and sent back with reports.
 *
 * <p>Only version {@code 00} is accepted, exactly as written: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex
 * flags>}, lowercase, ids not all zeros (55 characters). Anything else is not a trace context: callers ignore it
 * (a submit with a malformed header is still accepted, without a trace context), never fail on it.
 */
public final class TraceParent {

    /** The HTTP header that carries it. */
    public static final String HEADER = "traceparent";
    public static final int LENGTH = 55;

    private TraceParent() {
    }

    /** Whether {@code value} is a trace context as described above. Null is not. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH || !value.startsWith("00-") || value.charAt(35) != '-'
                || value.charAt(52) != '-') {
            return false;
        }
        return isHex(value, 3, 35) && isHex(value, 36, 52) && isHex(value, 53, 55)
                && !isZeros(value, 3, 35) && !isZeros(value, 36, 52);
    }

    /** {@code value} if it is valid, else null: what to store or send. */
    public static String validOrNull(String value) {
        return isValid(value) ? value : null;
    }

    /** The trace id (32 hex digits) of a valid trace context, or null for null or an invalid one. */
    public static String traceId(String value) {
        return isValid(value) ? value.substring(3, 35) : null;
    }

    /** The parent (span) id (16 hex digits) of a valid trace context, or null. */
    public static String spanId(String value) {
        return isValid(value) ? value.substring(36, 52) : null;
    }

    /** Writes a version 00 trace context. */
    public static String of(String traceId, String spanId, boolean sampled) {
        return validOrNull("00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00"));
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
