package io.flowraft.coordinator.engine.model;

/**
 * How often a task is attempted and how long it waits between attempts. The backoff before attempt
 * {@code n + 1} is {@code initialBackoffMs * multiplier^(n - 1)}, capped at {@code maxBackoffMs}, computed by
 * repeated multiplication so every replica gets the same number.
 */
public record RetryPolicy(int maxAttempts, long initialBackoffMs, double multiplier, long maxBackoffMs) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 1_000, 2.0, 60_000);
    public static final int MAX_ATTEMPTS_LIMIT = 1_000;
    public static final long MAX_BACKOFF_LIMIT_MS = 7L * 24 * 3600 * 1000;

    /** The wait after the given (1-based) failed attempt before the next one may be leased. */
    public long backoffAfter(int failedAttempt) {
        double backoff = initialBackoffMs;
        for (int i = 1; i < failedAttempt && backoff < maxBackoffMs; i++) {
            backoff *= multiplier;
        }
        return (long) Math.min(backoff, (double) maxBackoffMs);
    }
}
