package io.flowraft.coordinator.security;

import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who makes the current request: the principal a lease is bound to and the roles that decide what it sees.
 *
 * @param principal the principal's name; never blank
 * @param roles its roles
 */
public record Caller(String principal, Set<Role> roles) {

    /** The principal of every request to a coordinator in {@code insecure-local} mode. */
    public static final String LOCAL = "local";

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    /**
     * The caller of the request this thread serves. Every request that reaches a controller is authenticated
     * (the security chain refuses the others), so this fails only when called outside a request.
     */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new IllegalStateException("No authenticated caller on this thread");
        }
        return of(authentication);
    }

    static Caller of(Authentication authentication) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            Role role = Role.parse(authority.getAuthority());
            if (role != null && authority.getAuthority().startsWith("ROLE_")) {
                roles.add(role);
            }
        }
        return new Caller(authentication.getName(), roles);
    }
}
