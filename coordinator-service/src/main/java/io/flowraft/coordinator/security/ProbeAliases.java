package io.flowraft.coordinator.security;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Liveness and readiness stay on the API port at their usual paths, without credentials or details, when the
 * actuator moves to the management port: Kubernetes probes, {@code ./flowraft up} and clients' readiness checks
 * keep working. They answer what Boot's {@code /livez} and {@code /readyz} answer. When the management port is
 * the API's, the actuator's own mappings take precedence over these.
 */
@Controller
class ProbeAliases {

    @GetMapping("/actuator/health/liveness")
    String liveness() {
        return "forward:/livez";
    }

    @GetMapping("/actuator/health/readiness")
    String readiness() {
        return "forward:/readyz";
    }
}
