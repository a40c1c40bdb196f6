package io.flowraft.coordinator.raft;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster secret ({@code flowraft.raft.cluster-secret}) as the HMAC-SHA256 key that authenticates what one
 * coordinator forwards to another, and the answer; or the lack of one. Without a secret, forwarding is refused
 * both ways unless the coordinator runs in {@code flowraft.security.mode=insecure-local}, where it goes
 * unauthenticated (loopback setups only).
 */
final class ClusterKey {

    static final int MAC_BYTES = 32;
    static final String INSECURE_LOCAL = "insecure-local";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] NO_MAC = new byte[MAC_BYTES];

    private final SecretKeySpec key;
    private final boolean insecureLocal;

    private ClusterKey(SecretKeySpec key, boolean insecureLocal) {
        this.key = key;
        this.insecureLocal = insecureLocal;
    }

    /** @param securityMode the value of {@code flowraft.security.mode}; only {@value #INSECURE_LOCAL} matters here */
    static ClusterKey of(RaftProperties properties, String securityMode) {
        SecretKeySpec key = properties.hasClusterSecret()
                ? new SecretKeySpec(properties.clusterSecret().getBytes(StandardCharsets.UTF_8), ALGORITHM) : null;
        return new ClusterKey(key, INSECURE_LOCAL.equalsIgnoreCase(securityMode == null ? "" : securityMode.trim()));
    }

    /** Whether forwarded requests and answers carry, and must carry, a valid MAC. */
    boolean authenticates() {
        return key != null;
    }

    /** Why this node neither forwards nor accepts forwarded requests, or null when it does. */
    String forwardingRefusal() {
        return key != null || insecureLocal ? null
                : "forwarding between coordinators is off: flowraft.raft.cluster-secret is not set (set the same secret on"
                        + " every coordinator, or flowraft.security.mode=insecure-local for a loopback-only setup)";
    }

    /** HMAC-SHA256 of {@code prefix} then {@code bytes[0, length)}; zeros when there is no secret. */
    byte[] mac(byte[] prefix, byte[] bytes, int length) {
        if (key == null) {
            return NO_MAC.clone();
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per call
            mac.init(key);
            mac.update(prefix);
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    /**
     * Whether the last {@value #MAC_BYTES} bytes of {@code frame} are the MAC of {@code prefix} and the rest,
     * compared in constant time. Always true without a secret (nothing to check against).
     */
    boolean verify(byte[] prefix, byte[] frame) {
        if (key == null) {
            return true;
        }
        if (frame == null || frame.length < MAC_BYTES) {
            return false;
        }
        int length = frame.length - MAC_BYTES;
        byte[] expected = mac(prefix, frame, length);
        byte[] actual = new byte[MAC_BYTES];
        System.arraycopy(frame, length, actual, 0, MAC_BYTES);
        return MessageDigest.isEqual(expected, actual);
    }
}
