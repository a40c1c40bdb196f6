package io.flowraft.coordinator.security;

/** Whether a coordinator authenticates its callers ({@code flowraft.security.mode}). */
public enum SecurityMode {
    /** Every endpoint but liveness and readiness needs an API key or a JWT; the default. */
    SECURE,
    /**
     * No authentication: every caller acts as principal {@code local} with every role. Allowed only on loopback
     * (the REST, management and Raft addresses must all be loopback), for a laptop or a test.
     */
    INSECURE_LOCAL
}
