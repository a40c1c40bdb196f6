package io.flowraft.coordinator.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.core.env.Environment;

/**
 * What a coordinator checks before it serves anything: secure mode needs credentials, and insecure-local mode
 * may listen on loopback only. Either failure stops start-up with a message saying what to set.
 */
final class SecurityChecks {

    private SecurityChecks() {
    }

    static void check(SecurityProperties properties, ApiKeys apiKeys, boolean jwtConfigured, Environment environment) {
        if (properties.mode() == SecurityMode.SECURE) {
            if (apiKeys.isEmpty() && !jwtConfigured) {
                throw new IllegalStateException("No credentials configured, so this coordinator would refuse every"
                        + " request: set flowraft.security.api-keys[N].principal/roles/sha256 (or"
                        + " flowraft.security.api-keys-file), or a JWT key source"
                        + " (spring.security.oauth2.resourceserver.jwt.issuer-uri, jwk-set-uri or public-key-location)."
                        + " For a local run only, flowraft.security.mode=insecure-local turns authentication off and"
                        + " binds to 127.0.0.1. See docs/SECURITY.md");
            }
            String peers = environment.getProperty("flowraft.raft.peers", "");
            String secret = environment.getProperty("flowraft.raft.cluster-secret", "");
            if (peers.split(",").length > 1 && secret.isBlank()) {
                throw new IllegalStateException("flowraft.raft.cluster-secret is not set, so coordinators could not"
                        + " forward to one another: set the same secret of at least 32 characters on every"
                        + " coordinator (FLOWRAFT_CLUSTER_SECRET). See docs/SECURITY.md");
            }
            return;
        }
        requireLoopback("server.address", environment.getProperty("server.address"));
        requireLoopback("management.server.address", environment.getProperty("management.server.address"));
        String raft = environment.getProperty("flowraft.raft.address");
        if (raft != null) {
            int colon = raft.lastIndexOf(':');
            requireLoopback("flowraft.raft.address", colon > 0 ? raft.substring(0, colon) : raft);
        }
    }

    private static void requireLoopback(String property, String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalStateException("flowraft.security.mode=insecure-local needs " + property
                    + " set to a loopback address (127.0.0.1), as it accepts every caller");
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host.strip().replaceAll("^\\[|]$", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("flowraft.security.mode=insecure-local accepts every caller, so it listens"
                    + " on loopback only: " + property + " is '" + host + "'. Configure credentials (docs/SECURITY.md)"
                    + " to listen on other addresses");
        }
    }
}
