package io.flowraft.coordinator.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A secure coordinator cluster for security tests: one API key per role (and one holding two roles), and JWTs
 * signed with a key pair made here, whose public half the coordinators trust.
 */
final class SecureClusterFixture implements AutoCloseable {

    static final String ROLES_CLAIM = "flowraft_roles";

    final String adminKey = newKey();
    final String clientKey = newKey();
    final String workerKey = newKey();
    final String otherWorkerKey = newKey();
    final String readerKey = newKey();
    final InProcessCluster cluster;
    private final KeyPair jwtKeys;
    private final Path publicKeyFile;

    SecureClusterFixture(int size, String... moreArguments) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            jwtKeys = generator.generateKeyPair();
            publicKeyFile = Files.createTempFile("flowraft-jwt", ".pem");
            Files.writeString(publicKeyFile, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(jwtKeys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> arguments = new ArrayList<>(List.of(
                "--flowraft.security.mode=secure",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKeyFile,
                "--flowraft.security.jwt.roles-claim=" + ROLES_CLAIM));
        key(arguments, 0, "ops", "admin", adminKey);
        key(arguments, 1, "shop", "client", clientKey);
        key(arguments, 2, "worker-a", "worker", workerKey);
        key(arguments, 3, "worker-b", "worker", otherWorkerKey);
        key(arguments, 4, "auditor", "reader", readerKey);
        arguments.addAll(List.of(moreArguments));
        cluster = new InProcessCluster(size, arguments.toArray(String[]::new)).useApiKey(adminKey).startAll();
    }

    private static void key(List<String> arguments, int i, String principal, String roles, String key) {
        arguments.add("--flowraft.security.api-keys[" + i + "].principal=" + principal);
        arguments.add("--flowraft.security.api-keys[" + i + "].roles=" + roles);
        arguments.add("--flowraft.security.api-keys[" + i + "].sha256=" + ApiKeys.sha256Hex(key));
    }

    static String newKey() {
        return "frk_" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    /** A JWT for {@code subject} with {@code roles}, expiring at {@code expiresAt}, signed with the trusted key. */
    String jwt(String subject, List<String> roles, Instant expiresAt) {
        return jwt(subject, roles, expiresAt, (RSAPrivateKey) jwtKeys.getPrivate());
    }

    static String jwt(String subject, List<String> roles, Instant expiresAt, RSAPrivateKey signingKey) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim(ROLES_CLAIM, roles)
                .issueTime(java.util.Date.from(expiresAt.minusSeconds(3600)))
                .expirationTime(java.util.Date.from(expiresAt)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        cluster.close();
        try {
            Files.deleteIfExists(publicKeyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
