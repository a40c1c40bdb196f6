package io.flowraft.worker.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The worker's settings ({@code flowraft.worker.*}). Every default works against one local coordinator.
 *
 * @param coordinators     coordinator base URLs; polls go round robin, and any failure moves to the next one
 * @param workerId         names this worker in leases, views and history; default {@code hostname-pid}
 * @param pollWait         how long one long poll waits for work (the coordinator allows at most 60s). Keep it
 *                         well below {@code shutdownGrace}: a stopping worker lets its last poll finish
 * @param leaseDuration    lease length asked for; the worker heartbeats at half of it. A lease never outlasts
 *                         the task's {@code timeoutMs}
 * @param maxInFlight      tasks run at once, all types together; the worker never leases more than this
 * @param shutdownGrace    on shutdown, how long in-flight tasks may take to finish and report; the rest are
 *                         then failed as retryable
 * @param requestTimeout   HTTP timeout of one coordinator call (a poll gets {@code pollWait} on top)
 * @param backoffInitial   first wait after a failed coordinator call; doubles per failure, with jitter
 * @param backoffMax       longest such wait
 * @param types            per task type overrides, keyed by type
 * @param http             the built-in {@code http} handler's settings
 * @param apiKey           the API key (role {@code worker}) sent to the coordinators as a bearer token; from
 *                         {@code FLOWRAFT_WORKER_KEY} by default, as {@code ./flowraft up} writes it to
 *                         {@code credentials.env}. Blank: none (coordinators in {@code insecure-local} mode)
 * @param tls              how the worker trusts {@code https} coordinators
 * @param secrets          where {@code ${secrets.NAME}} references are resolved, and which types may
 */
@Validated
@ConfigurationProperties("flowraft.worker")
public record WorkerProperties(
        @DefaultValue("http://localhost:8081") @NotEmpty List<URI> coordinators,
        String workerId,
        @DefaultValue("10s") Duration pollWait,
        @DefaultValue("30s") Duration leaseDuration,
        @DefaultValue("16") @Min(1) int maxInFlight,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("100ms") Duration backoffInitial,
        @DefaultValue("5s") Duration backoffMax,
        @DefaultValue Map<String, @Valid TypeSettings> types,
        @DefaultValue @Valid Http http,
        String apiKey,
        @DefaultValue Tls tls,
        @DefaultValue SecretSettings secrets) {

    public WorkerProperties {
        if (workerId == null || workerId.isBlank()) {
            workerId = defaultWorkerId();
        }
        types = types == null ? Map.of() : Map.copyOf(types);
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        tls = tls == null ? new Tls(null) : tls;
        secrets = secrets == null ? new SecretSettings(null, Map.of()) : secrets;
        requirePositive(pollWait, "poll-wait", true);
        requirePositive(leaseDuration, "lease-duration", false);
        requirePositive(shutdownGrace, "shutdown-grace", true);
        requirePositive(requestTimeout, "request-timeout", false);
        requirePositive(backoffInitial, "backoff-initial", false);
        requirePositive(backoffMax, "backoff-max", false);
        if (pollWait.toMillis() > 60_000) {
            throw new IllegalArgumentException("flowraft.worker.poll-wait must be at most 60s, was " + pollWait);
        }
        if (leaseDuration.toMillis() < 1_000) {
            throw new IllegalArgumentException("flowraft.worker.lease-duration must be at least 1s, was " + leaseDuration);
        }
    }

    @Override
    public String toString() {
        // the record's own toString would print the API key
        return "WorkerProperties[coordinators=" + coordinators + ", workerId=" + workerId + ", apiKey="
                + (apiKey == null ? "none" : "***") + "]";
    }

    /** The settings of one type, every unset field filled from the worker-wide ones. */
    public TypeSettings settingsFor(String type) {
        TypeSettings own = types.get(type);
        return new TypeSettings(
                own == null || own.enabled() == null ? Boolean.TRUE : own.enabled(),
                own == null || own.concurrency() == null ? maxInFlight : Math.min(own.concurrency(), maxInFlight),
                own == null || own.leaseDuration() == null ? leaseDuration : own.leaseDuration());
    }

    /**
     * Overrides for one task type; {@code null} fields take the worker-wide value.
     *
     * @param enabled       {@code false} stops polling for this type although a handler exists (built-ins too)
     * @param concurrency   tasks of this type run at once (never more than {@code max-in-flight})
     * @param leaseDuration lease length for this type
     */
    public record TypeSettings(Boolean enabled, @Min(1) Integer concurrency, Duration leaseDuration) {
    }

    /**
     * The built-in {@code http} handler.
     *
     * @param allowedHosts      if not empty, the only hosts it may call. A host named here may also resolve to a
     *                          private, loopback or link-local address; any other such target is refused
     * @param defaultTimeout    the whole call's deadline (resolving, connecting, sending, reading the whole body) when
     *                          the input gives no {@code timeoutMs}
     * @param maxResponseBytes  a longer response body fails the task for good (the output must fit the
     *                          coordinator's limit); the rest of it is never read
     */
    public record Http(
            @DefaultValue List<String> allowedHosts,
            @DefaultValue("30s") Duration defaultTimeout,
            @DefaultValue("131072") @Min(1) int maxResponseBytes) {

        public Http {
            allowedHosts = allowedHosts == null ? List.of()
                    : allowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        }
    }

    /**
     * Trust for {@code https} coordinators ({@code flowraft.worker.tls.*}).
     *
     * @param caFile a PEM file of the certificate authorities (one or several) that signed the coordinators'
     *               certificates; the worker then trusts exactly these, not the JDK's defaults. Unset: the JDK's
     *               default trust store. An unreadable file stops the worker at start
     */
    public record Tls(Path caFile) {
    }

    /**
     * Secrets that task inputs reference as {@code ${secrets.NAME}}, resolved on this worker just before the handler
     * runs (the coordinators only ever hold the reference). A value is read from the environment variable
     * {@code FLOWRAFT_SECRET_<NAME>} (upper-cased, other characters than letters and digits as {@code _}), else from
     * the file {@code <dir>/<NAME>}.
     *
     * @param dir     a directory holding one file per secret, named after it (a mounted Kubernetes Secret); none by
     *                default. One trailing newline is stripped
     * @param allowed per task type, the secret names its tasks may resolve; nothing is allowed by default, and a
     *                task referencing any other secret fails for good
     */
    public record SecretSettings(Path dir, @DefaultValue Map<String, List<String>> allowed) {

        public SecretSettings {
            allowed = allowed == null ? Map.of() : Map.copyOf(allowed);
        }
    }

    private static void requirePositive(Duration value, String name, boolean zeroAllowed) {
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException("flowraft.worker." + name + " must be " + (zeroAllowed ? "at least 0" : "positive")
                    + ", was " + value);
        }
    }

    static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        String id = host + "-" + ProcessHandle.current().pid();
        return id.length() > 128 ? id.substring(id.length() - 128) : id;
    }
}
