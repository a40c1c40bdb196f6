package io.flowraft.worker.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a random time between half and all of
 * {@code min(initial * 2^(n-1), max)}, so workers that lost the same coordinator do not come back in step.
 * A {@code Retry-After} the coordinator asked for is honoured up to {@code max}.
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;

    Backoff(Duration initial, Duration max) {
        this.initialMs = initial.toMillis();
        this.maxMs = Math.max(initial.toMillis(), max.toMillis());
    }

    /** How long to wait after the {@code failures}-th failure in a row (1 = the first). */
    long delayMs(int failures, Long retryAfterSeconds) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long ceiling = Math.min(maxMs, initialMs << shift);
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        if (retryAfterSeconds != null && retryAfterSeconds > 0) {
            delay = Math.max(delay, Math.min(maxMs, retryAfterSeconds * 1000));
        }
        return delay;
    }
}
