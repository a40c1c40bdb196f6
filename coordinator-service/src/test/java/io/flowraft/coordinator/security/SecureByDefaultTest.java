package io.flowraft.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.CoordinatorApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A coordinator without credentials does not start; insecure-local listens on loopback only. */
class SecureByDefaultTest {

    private Path dataDir;
    private ConfigurableApplicationContext context;

    @AfterEach
    void cleanUp() throws IOException {
        if (context != null) {
            context.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private ConfigurableApplicationContext start(String... settings) {
        try {
            dataDir = Files.createTempDirectory("flowraft-secure-default");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String raft = "127.0.0.1:" + FreePorts.next();
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + FreePorts.next(),
                "--flowraft.raft.address=" + raft, "--flowraft.raft.peers=" + raft,
                "--flowraft.raft.data-dir=" + dataDir, "--spring.main.banner-mode=off"));
        for (String setting : settings) {
            arguments.add("--" + setting);
        }
        return new SpringApplicationBuilder(CoordinatorApplication.class).run(arguments.toArray(String[]::new));
    }

    @Test
    void shouldRefuseToStartWithoutCredentials() {
        assertThatThrownBy(() -> context = start())
                .hasStackTraceContaining("No credentials configured")
                .hasStackTraceContaining("flowraft.security.api-keys")
                .hasStackTraceContaining("insecure-local");
    }

    @Test
    void shouldRefuseInsecureLocalOnANonLoopbackAddress() {
        assertThatThrownBy(() -> context = start("flowraft.security.mode=insecure-local", "server.address=0.0.0.0"))
                .hasStackTraceContaining("loopback only")
                .hasStackTraceContaining("server.address");
    }

    @Test
    void shouldListenOnLoopbackOnlyInInsecureLocalMode() {
        context = start("flowraft.security.mode=insecure-local");
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

        assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
        // another address of this machine, if it has one, is not served
        otherLocalAddress().ifPresent(other -> assertThat(connects(other, port)).as(other.toString()).isFalse());
    }

    @Test
    void shouldStartWithAnApiKeyAndNoRawKeyInItsSettings() {
        context = start("flowraft.security.api-keys[0].principal=ops", "flowraft.security.api-keys[0].roles=admin",
                "flowraft.security.api-keys[0].sha256=" + ApiKeys.sha256Hex("k".repeat(40)));

        assertThat(context.getBean(ApiKeys.class).size()).isEqualTo(1);
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> otherLocalAddress() {
        try {
            return NetworkInterface.networkInterfaces().filter(nic -> {
                try {
                    return nic.isUp() && !nic.isLoopback();
                } catch (SocketException e) {
                    return false;
                }
            }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof java.net.Inet4Address).findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
