package io.flowraft.contracts.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a client presents to a coordinator and whom it trusts: a bearer token (an API key or a JWT; {@code null}
 * for a coordinator in {@code insecure-local} mode) and the TLS context for {@code https} coordinators
 * ({@code null}: the JDK's default trust store).
 */
public record ClientCredentials(String bearerToken, SSLContext sslContext) {

    public static ClientCredentials none() {
        return new ClientCredentials(null, null);
    }

    public static ClientCredentials bearer(String token) {
        return new ClientCredentials(blankToNull(token), null);
    }

    /** The same token, trusting only the certificate authorities in the PEM file {@code caFile} (when not null). */
    public ClientCredentials trusting(Path caFile) {
        return caFile == null ? this : new ClientCredentials(bearerToken, trustOnly(caFile));
    }

    /** A TLS context that trusts exactly the certificates in a PEM file (one CA or several), not the JDK's defaults. */
    public static SSLContext trustOnly(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("No certificate in " + caFile);
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CA file " + caFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Not a PEM certificate file: " + caFile + " (" + e.getMessage() + ")", e);
        }
    }

    private static String blankToNull(String token) {
        return token == null || token.isBlank() ? null : token.strip();
    }

    @Override
    public String toString() {
        // never print the token
        return "ClientCredentials[bearerToken=" + (bearerToken == null ? "none" : "***") + ", tls=" + (sslContext != null) + "]";
    }
}
