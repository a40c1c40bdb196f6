package io.flowraft.contracts;

import java.math.BigDecimal;

/**
 * A task type's dispatch rate limit: leases of tasks of the type are granted at most at this pace, cluster-wide,
 * with bursts of up to one second's worth (at least one lease). Tasks held back stay READY and are leased as the
 * rate allows.
 *
 * @param perSecond leases per second, from 0.001 to 1,000,000, with at most three decimals ({@code 50}, {@code 0.5})
 */
public record RateLimit(BigDecimal perSecond) {
}
