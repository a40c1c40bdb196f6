package io.flowraft.coordinator.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication and rate limits ({@code flowraft.security.*}); docs/SECURITY.md explains each.
 *
 * @param mode {@code secure} (the default: a coordinator without credentials refuses to start) or
 *     {@code insecure-local}
 * @param apiKeys API keys, each stored as the SHA-256 of the key (never the key itself)
 * @param apiKeysFile a file of more API keys, one per line as {@code principal roles sha256 [perSecond]}
 *     ({@code roles} comma-separated; {@code #} starts a comment): the shape of a mounted Kubernetes Secret
 * @param jwt how JWTs map to a principal and roles; JWTs are accepted once a
 *     {@code spring.security.oauth2.resourceserver.jwt.*} key source is configured
 * @param rateLimits requests per second per principal, by role (a principal with several roles gets the most
 *     generous); {@code 0} means unlimited. A key's own {@code perSecond} overrides its roles'. Defaults:
 *     client 2000, worker 5000, admin 100, reader 500
 */
@ConfigurationProperties("flowraft.security")
public record SecurityProperties(
        @DefaultValue("secure") SecurityMode mode,
        @DefaultValue List<ApiKey> apiKeys,
        Path apiKeysFile,
        @DefaultValue Jwt jwt,
        Map<String, Double> rateLimits) {

    /** Requests per second per principal by role where {@code rate-limits} does not say. */
    static final Map<Role, Double> DEFAULT_RATE_LIMITS = Map.of(
            Role.CLIENT, 2000.0, Role.WORKER, 5000.0, Role.ADMIN, 100.0, Role.READER, 500.0);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public SecurityProperties {
        rateLimits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
        for (int i = 0; i < apiKeys.size(); i++) {
            apiKeys.get(i).check("flowraft.security.api-keys[" + i + "]");
        }
        for (Map.Entry<String, Double> limit : rateLimits.entrySet()) {
            if (Role.parse(limit.getKey()) == null) {
                throw new IllegalArgumentException("flowraft.security.rate-limits." + limit.getKey()
                        + ": not a role (client, worker, admin, reader)");
            }
            if (limit.getValue() == null || limit.getValue() < 0) {
                throw new IllegalArgumentException("flowraft.security.rate-limits." + limit.getKey()
                        + " must be 0 (unlimited) or more, was " + limit.getValue());
            }
        }
    }

    /** The rate limit of a role in requests per second; {@code 0}: unlimited. */
    public double rateLimit(Role role) {
        for (Map.Entry<String, Double> limit : rateLimits.entrySet()) {
            if (Role.parse(limit.getKey()) == role) {
                return limit.getValue();
            }
        }
        return DEFAULT_RATE_LIMITS.get(role);
    }

    /**
     * One API key.
     *
     * @param principal the name requests made with it act as (leases are bound to it)
     * @param roles its roles
     * @param sha256 the SHA-256 of the key, 64 lower-case hex digits ({@code printf %s KEY | sha256sum})
     * @param perSecond its own rate limit (requests per second), or {@code null} for its roles'
     */
    public record ApiKey(String principal, List<String> roles, String sha256, Double perSecond) {

        void check(String prefix) {
            if (principal == null || principal.isBlank()) {
                throw new IllegalArgumentException(prefix + ".principal must be set");
            }
            if (roles == null || roles.isEmpty()) {
                throw new IllegalArgumentException(prefix + ".roles must name at least one of client, worker, admin, reader");
            }
            for (String role : roles) {
                if (Role.parse(role) == null) {
                    throw new IllegalArgumentException(prefix + ".roles: '" + role + "' is not one of client, worker, admin, reader");
                }
            }
            if (sha256 == null || !SHA256_HEX.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException(prefix + ".sha256 must be the SHA-256 of the key as 64 hex digits"
                        + " (the key itself is never configured)");
            }
            if (perSecond != null && perSecond < 0) {
                throw new IllegalArgumentException(prefix + ".per-second must be 0 (unlimited) or more, was " + perSecond);
            }
        }
    }

    /**
     * @param principalClaim the claim naming the principal
     * @param rolesClaim the claim holding the roles: a list of names or one space- or comma-separated string;
     *     a dotted path reaches into nested objects ({@code realm_access.roles})
     */
    public record Jwt(@DefaultValue("sub") String principalClaim, @DefaultValue("roles") String rolesClaim) {
    }
}
