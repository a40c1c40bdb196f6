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

    ManagementPort(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        Integer management = environment.getProperty("local.management.port", Integer.class);
        Integer server = environment.getProperty("local.server.port", Integer.class);
        return management != null && !management.equals(server) && request.getLocalPort() == management;
    }
}
