package io.flowraft.coordinator.security;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults that follow from other settings, applied before the application starts (lowest precedence: any
 * explicit setting wins):
 * <ul>
 *   <li>the management port (health details, Prometheus) is the REST port plus 1000, or random when the REST
 *       port is, so metrics never share the API's port unless an operator says so;</li>
 *   <li>in {@code insecure-local} mode the REST and management servers bind to 127.0.0.1.</li>
 * </ul>
 */
public final class SecurityEnvironment implements EnvironmentPostProcessor {

    static final String MANAGEMENT_PORT = "management.server.port";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        if (!environment.containsProperty(MANAGEMENT_PORT)) {
            int port = environment.getProperty("server.port", Integer.class, 8080);
            defaults.put(MANAGEMENT_PORT, port <= 0 || port + 1000 > 65535 ? 0 : port + 1000);
        }
        if (isInsecureLocal(environment.getProperty("flowraft.security.mode"))) {
            if (!environment.containsProperty("server.address")) {
                defaults.put("server.address", "127.0.0.1");
            }
            if (!environment.containsProperty("management.server.address")) {
                defaults.put("management.server.address", "127.0.0.1");
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource("flowraftSecurityDefaults", defaults));
    }

    static boolean isInsecureLocal(String mode) {
        return mode != null && mode.strip().toLowerCase(Locale.ROOT).replace('_', '-').equals("insecure-local");
    }
}
