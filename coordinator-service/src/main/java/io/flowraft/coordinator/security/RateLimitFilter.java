package io.flowraft.coordinator.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.api.error.ApiError;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-principal request rate limits: a token bucket per principal (Bucket4j), refilled at the principal's
 * rate with one second's worth as burst. A request over it is answered 429 {@code rate-limited} with
 * {@code Retry-After} before it reaches a controller, so it costs no proposal. Buckets live on each coordinator
 * (a client spreading requests over three coordinators gets up to three times its rate; docs/SECURITY.md says
 * so); unused buckets expire, so JWT subjects cannot grow the map without bound.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String METRIC = "flowraft.http.rate.limited";

    private final SecurityProperties properties;
    private final ProblemSecurityAnswers answers;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Counter refused;

    RateLimitFilter(SecurityProperties properties, ProblemSecurityAnswers answers, MeterRegistry registry) {
        this.properties = properties;
        this.answers = answers;
        this.refused = Counter.builder(METRIC).description("Requests refused 429 rate-limited (per-principal limits)")
                .tag("reason", "rate-limited").register(registry);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        double perSecond = authentication == null || !authentication.isAuthenticated() ? 0 : perSecond(authentication);
        if (perSecond > 0) {
            Bucket bucket = buckets.get(authentication.getName() + "\u0000" + perSecond, k -> bucket(perSecond));
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                refused.increment();
                answers.write(request, response, ApiError.of(ProblemType.RATE_LIMITED, null,
                        "Principal '" + authentication.getName() + "' is limited to " + format(perSecond)
                                + " requests per second on this coordinator")
                        .withRetryAfter(Duration.ofNanos(probe.getNanosToWaitForRefill())));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private double perSecond(Authentication authentication) {
        if (authentication instanceof ApiKeyAuthentication key && key.perSecond() != null) {
            return key.perSecond();
        }
        double most = -1;
        for (Role role : Caller.of(authentication).roles()) {
            double limit = properties.rateLimit(role);
            if (limit == 0) {
                return 0;
            }
            most = Math.max(most, limit);
        }
        return Math.max(most, 0);
    }

    private static Bucket bucket(double perSecond) {
        // Bucket4j refills whole tokens: a fractional rate becomes tokens per the matching period
        long tokens = Math.max(1, Math.round(Math.ceil(perSecond)));
        Duration period = Duration.ofNanos(Math.round(tokens * 1e9 / perSecond));
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(tokens).refillGreedy(tokens, period).build())
                .build();
    }

    private static String format(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }
}
