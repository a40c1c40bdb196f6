package io.flowraft.coordinator.engine.model;

/**
 * A task type's dispatch rate: at most {@code milliPerSecond / 1000} leases per second on average, with bursts of up
 * to one second's worth (at least one lease). Held as an integer so that every replica computes the same buckets:
 * no floating point reaches the state.
 *
 * <p>A bucket counts micro-tokens (a lease costs {@link #TOKEN}); at {@code milliPerSecond} milli-tokens per second
 * it gains exactly {@code milliPerSecond} micro-tokens per millisecond of stamped time, so refills by millisecond
 * deltas are exact and no fraction is lost however often a bucket is refilled.
 *
 * @param milliPerSecond leases per second times 1000: 1 (0.001/s) to {@value #MAX_MILLI_PER_SECOND} (1,000,000/s)
 */
public record RateLimit(long milliPerSecond) {

    public static final long MIN_MILLI_PER_SECOND = 1;
    public static final long MAX_MILLI_PER_SECOND = 1_000_000_000L;
    /** What one lease costs, in micro-tokens. */
    public static final long TOKEN = 1_000_000L;

    public static boolean isValid(long milliPerSecond) {
        return milliPerSecond >= MIN_MILLI_PER_SECOND && milliPerSecond <= MAX_MILLI_PER_SECOND;
    }

    /** Micro-tokens gained per millisecond. */
    public long perMilli() {
        return milliPerSecond;
    }

    /** The most a bucket holds, in micro-tokens: one second's worth, and never less than one lease. */
    public long capacity() {
        return Math.max(TOKEN, milliPerSecond * 1_000L);
    }

    /**
     * The micro-tokens a bucket holds at {@code now} that held {@code tokens} at {@code refilledAt}. Exact; a stamp
     * behind {@code refilledAt} (a new leader's clock behind the old one's) adds nothing.
     */
    public long tokensAt(long tokens, long refilledAt, long now) {
        long capacity = capacity();
        if (tokens >= capacity) {
            return capacity;
        }
        long elapsed = Math.max(0, now - refilledAt);
        long toFull = (capacity - tokens + perMilli() - 1) / perMilli();
        return elapsed >= toFull ? capacity : tokens + elapsed * perMilli(); // below capacity: no overflow
    }

    /** When a bucket that held {@code tokens} at {@code refilledAt} holds one whole lease again. */
    public long wholeTokenAt(long tokens, long refilledAt) {
        return tokens >= TOKEN ? refilledAt : refilledAt + (TOKEN - tokens + perMilli() - 1) / perMilli();
    }

    /** The rate as people write it: {@code 50}, {@code 0.5}, {@code 0.001}. */
    public String perSecondText() {
        return java.math.BigDecimal.valueOf(milliPerSecond, 3).stripTrailingZeros().toPlainString();
    }
}
