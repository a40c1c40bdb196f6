package io.flowraft.contracts;

/**
 * How often and how fast a failed task is retried. Every field is optional: {@code null} means the server
 * default, resolved with {@link #withDefaults()}. The wait before attempt {@code n + 1} is
 * {@code min(initialBackoffMs * multiplier^(n - 1), maxBackoffMs)}.
 *
 * @param maxAttempts total attempts including the first, at least 1 (1 = no retry); default
 *     {@value #DEFAULT_MAX_ATTEMPTS}
 * @param initialBackoffMs wait before the second attempt, in milliseconds, at least 0; default
 *     {@value #DEFAULT_INITIAL_BACKOFF_MS}
 * @param multiplier factor applied to the wait after each further failure, at least 1.0; default
 *     {@value #DEFAULT_MULTIPLIER}
 * @param maxBackoffMs upper bound of any single wait, in milliseconds, at least {@code initialBackoffMs};
 *     default {@value #DEFAULT_MAX_BACKOFF_MS}
 */
public record RetryPolicy(Integer maxAttempts, Long initialBackoffMs, Double multiplier, Long maxBackoffMs) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final long DEFAULT_INITIAL_BACKOFF_MS = 1_000;
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final long DEFAULT_MAX_BACKOFF_MS = 60_000;

    /** The policy of a task that states none. */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(
            DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MULTIPLIER, DEFAULT_MAX_BACKOFF_MS);

    /** This policy with every {@code null} field replaced by its default; a {@code null} policy is {@link #DEFAULTS}. */
    public RetryPolicy withDefaults() {
        return new RetryPolicy(
                maxAttempts != null ? maxAttempts : DEFAULT_MAX_ATTEMPTS,
                initialBackoffMs != null ? initialBackoffMs : DEFAULT_INITIAL_BACKOFF_MS,
                multiplier != null ? multiplier : DEFAULT_MULTIPLIER,
                maxBackoffMs != null ? maxBackoffMs : DEFAULT_MAX_BACKOFF_MS);
    }
}
