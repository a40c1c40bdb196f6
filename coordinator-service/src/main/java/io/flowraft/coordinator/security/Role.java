package io.flowraft.coordinator.security;

import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a principal may do (docs/SECURITY.md has the table). A principal may hold several roles; {@link #ADMIN}
 * may do everything, so one operator key is enough to run and repair a cluster.
 */
public enum Role {
    /** Definitions, submit, read, list, history, cancel. */
    CLIENT,
    /** Poll, heartbeat and report: only leases it polled itself. */
    WORKER,
    /** Membership, leadership transfer, snapshots, engine settings, and everything the other roles may do. */
    ADMIN,
    /** Read, list and history of workflows and definitions. */
    READER;

    /** The Spring Security authority for this role ({@code ROLE_CLIENT}, ...). */
    public GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    /** The role's name as configured and as JWT claims carry it: lower case ({@code client}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a configured or claimed name stands for, case-insensitive; {@code null} if none. */
    public static Role parse(String name) {
        if (name == null) {
            return null;
        }
        String normalized = name.strip().toUpperCase(Locale.ROOT);
        if (normalized.startsWith("ROLE_")) {
            normalized = normalized.substring("ROLE_".length());
        }
        for (Role role : values()) {
            if (role.name().equals(normalized)) {
                return role;
            }
        }
        return null;
    }
}
