package io.flowraft.coordinator.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.env.Environment;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Requests that arrived on the management port, when it is not the API's: health details and Prometheus are
 * served there without credentials, for probes and scrapers; a NetworkPolicy (the Helm chart ships one) or a
 * loopback {@code management.server.address} keeps others out.
 */
final class ManagementPort implements RequestMatcher {

    private final Environment environment;
    /** The management port once both ports are bound (they do not change after), -1 when it is the API's. */
    private volatile Integer separatePort;

    ManagementPort(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        Integer port = separatePort;
        if (port == null) {
            // Resolving a property walks every property source: once per request it showed in profiles.
            Integer management = environment.getProperty("local.management.port", Integer.class);
            Integer server = environment.getProperty("local.server.port", Integer.class);
            if (server == null || management == null) {
                // Not both bound yet (the management server starts after the API's): judge now, remember nothing.
                return management != null && !management.equals(server) && request.getLocalPort() == management;
            }
            port = management.equals(server) ? -1 : management;
            separatePort = port;
        }
        return port >= 0 && request.getLocalPort() == port;
    }
}
