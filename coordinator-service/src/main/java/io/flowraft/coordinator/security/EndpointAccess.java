package io.flowraft.coordinator.security;

import io.flowraft.contracts.FlowRaftHttp;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which roles may call which endpoint: the one table the security chain is built from and a 403 is explained
 * with (docs/SECURITY.md prints it). {@link Role#ADMIN} is added to every rule. The first matching rule decides;
 * an API path no rule names needs any authenticated caller (and is then answered 404 or 405).
 */
public final class EndpointAccess {

    /** One rule: requests of {@code method} on {@code pattern} need one of {@code roles}. */
    public record Rule(HttpMethod method, String pattern, Set<Role> roles) {

        RequestMatcher matcher() {
            return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
        }

        String[] roleNames() {
            return roles.stream().map(Role::name).toArray(String[]::new);
        }

        String describe() {
            return roles.stream().map(Role::configName).sorted().collect(Collectors.joining(" or "));
        }
    }

    private static final String API = FlowRaftHttp.API_V1;

    public static final List<Rule> RULES = List.of(
            rule(HttpMethod.POST, API + "/definitions", Role.CLIENT),
            rule(HttpMethod.GET, API + "/definitions/**", Role.CLIENT, Role.READER),
            rule(HttpMethod.POST, API + "/workflows", Role.CLIENT),
            rule(HttpMethod.POST, API + "/workflows/batch", Role.CLIENT),
            rule(HttpMethod.POST, API + "/workflows/ends", Role.CLIENT, Role.READER),
            rule(HttpMethod.POST, API + "/workflows/*/cancel", Role.CLIENT),
            rule(HttpMethod.GET, API + "/workflows", Role.CLIENT, Role.READER),
            rule(HttpMethod.GET, API + "/workflows/**", Role.CLIENT, Role.READER),
            rule(HttpMethod.POST, API + "/tasks/poll", Role.WORKER),
            rule(HttpMethod.POST, API + "/leases/**", Role.WORKER),
            rule(HttpMethod.POST, API + "/reports", Role.WORKER),
            rule(HttpMethod.GET, API + "/cluster/engine-settings", Role.READER),
            rule(HttpMethod.PUT, API + "/cluster/engine-settings"),
            rule(HttpMethod.GET, API + "/task-types", Role.CLIENT, Role.READER),
            rule(HttpMethod.GET, API + "/task-types/*", Role.CLIENT, Role.READER),
            rule(HttpMethod.PUT, API + "/task-types/*"),
            // where the leader is and who the peers are: every role's clients need it to find the leader
            rule(HttpMethod.GET, API + "/cluster", Role.CLIENT, Role.WORKER, Role.READER),
            rule(HttpMethod.POST, API + "/cluster/peers"),
            rule(HttpMethod.DELETE, API + "/cluster/peers/**"),
            rule(HttpMethod.POST, API + "/cluster/leader"),
            rule(HttpMethod.POST, API + "/cluster/snapshot"),
            // actuator endpoints on the API port, when the management port is the same one (liveness and
            // readiness are open; see SecurityConfiguration). A handover moves the leader: operators only.
            rule(HttpMethod.GET, "/actuator/handover"),
            rule(null, "/actuator/**", Role.READER));

    private EndpointAccess() {
    }

    private static Rule rule(HttpMethod method, String pattern, Role... roles) {
        EnumSet<Role> allowed = EnumSet.of(Role.ADMIN, roles);
        return new Rule(method, pattern, Set.copyOf(allowed));
    }

    /** The rule deciding a request, if any names it. */
    static Optional<Rule> ruleFor(HttpServletRequest request) {
        for (Rule rule : RULES) {
            if (rule.matcher().matches(request)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
