package io.flowraft.coordinator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code 127.0.0.1} and
 * {@code localhost} (subject alternative names), as PEM files in a temporary directory that {@link #close()}
 * deletes: what a coordinator needs to serve HTTPS through a Spring Boot PEM SSL bundle, and what its clients
 * need to trust it ({@link #caFile()}).
 *
 * <p>Made with the JDK's own {@code keytool}, run as a process (the JDK exposes no API to sign certificates);
 * the private key comes out of keytool's PKCS#12 store as PKCS#8 PEM, which Spring Boot reads. Keys are fresh
 * for every instance, so no test can trust another test's server by accident.
 */
public final class TestCertificates implements AutoCloseable {

    /** The name of the SSL bundle {@link #serverArguments()} defines. */
    public static final String BUNDLE = "flowraft-test";

    private static final String PASSWORD = "changeit";

    private final Path dir;
    private final Path caFile;
    private final Path certificateFile;
    private final Path privateKeyFile;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caFile = dir.resolve("ca.pem");
        this.certificateFile = dir.resolve("server.pem");
        this.privateKeyFile = dir.resolve("server-key.pem");
    }

    /** Makes a new CA and a server certificate it signed, valid for a day. */
    public static TestCertificates create() {
        TestCertificates certificates;
        try {
            certificates = new TestCertificates(Files.createTempDirectory("flowraft-tls-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            certificates.make();
            return certificates;
        } catch (RuntimeException e) {
            certificates.close();
            throw e;
        }
    }

    private void make() {
        Path caStore = dir.resolve("ca.p12");
        Path serverStore = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path signed = dir.resolve("server-signed.pem");
        keytool("-genkeypair", "-keystore", caStore.toString(), "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=FlowRaft Test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", "1");
        keytool("-genkeypair", "-keystore", serverStore.toString(), "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "1");
        keytool("-certreq", "-keystore", serverStore.toString(), "-alias", "server", "-file", request.toString());
        keytool("-gencert", "-rfc", "-keystore", caStore.toString(), "-alias", "ca", "-infile", request.toString(),
                "-outfile", signed.toString(), "-validity", "1",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-ext", "ku:c=digitalSignature");
        try {
            Files.writeString(caFile, pem("CERTIFICATE", load(caStore).getCertificate("ca").getEncoded()));
            // The chain the server presents: its own certificate, then the CA's.
            Files.writeString(certificateFile, Files.readString(signed) + Files.readString(caFile));
            Files.writeString(privateKeyFile, pem("PRIVATE KEY", load(serverStore).getKey("server", PASSWORD.toCharArray()).getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read what keytool made in " + dir, e);
        }
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD.toCharArray());
            return keyStore;
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        Path output = dir.resolve("keytool.log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): " + command + "\n"
                        + Files.readString(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }

    /** The CA certificate (PEM): what clients trust. */
    public Path caFile() {
        return caFile;
    }

    /** The server's certificate chain (PEM): its own certificate, then the CA's. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The server's private key (PKCS#8 PEM, unencrypted). */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /**
     * The coordinator arguments that serve its REST API over HTTPS with this certificate: a PEM SSL bundle named
     * {@value #BUNDLE} and {@code server.ssl.bundle} pointing at it. No other setting is needed.
     */
    public List<String> serverArguments() {
        return List.of(
                "--spring.ssl.bundle.pem." + BUNDLE + ".keystore.certificate=" + certificateFile,
                "--spring.ssl.bundle.pem." + BUNDLE + ".keystore.private-key=" + privateKeyFile,
                "--server.ssl.bundle=" + BUNDLE);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
