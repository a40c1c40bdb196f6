package io.flowraft.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.flowraft.worker.spi.TerminalTaskException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The {@code http} handler refuses targets inside the worker's network unless they are allowed by name. */
class HttpTargetPolicyTest {

    @Test
    void shouldRefuseALoopbackTargetUnlessAllowedByName() throws Exception {
        // given a local server that counts its calls
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            HttpTaskHandler.Input input = new HttpTaskHandler.Input("GET", url, null, null, 2_000L);

            // when the handler may not call private targets, then it refuses for good and never connects
            assertThatThrownBy(() -> Handlers.handler(List.of()).handle(input, Handlers.CONTEXT))
                    .isInstanceOf(TerminalTaskException.class).hasMessageContaining("loopback, private, link-local");
            // a host list that does not name it refuses it too
            assertThatThrownBy(() -> Handlers.handler(List.of("example.org")).handle(input, Handlers.CONTEXT))
                    .isInstanceOf(TerminalTaskException.class).hasMessageContaining("not in flowraft.worker.http.allowed-hosts");
            assertThat(calls).hasValue(0);

            // when it is allowed by name, the call goes through
            assertThat(Handlers.handler(List.of("127.0.0.1")).handle(input, Handlers.CONTEXT).status()).isEqualTo(204);
            assertThat(calls).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/", "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/", "http://0.0.0.0/",
            "http://100.64.0.1/"})
    void shouldRefuseInternalAddresses(String url) {
        assertThatThrownBy(() -> Handlers.handler(List.of()).handle(new HttpTaskHandler.Input(null, url, null, null, 100L), Handlers.CONTEXT))
                .isInstanceOf(TerminalTaskException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/x", "file:///etc/passwd", "http:///nohost"})
    void shouldRefuseOtherSchemesAndHostlessUrls(String url) {
        assertThatThrownBy(() -> Handlers.handler(List.of()).handle(new HttpTaskHandler.Input(null, url, null, null, 100L), Handlers.CONTEXT))
                .isInstanceOf(TerminalTaskException.class);
    }

    @Test
    void shouldTreatPublicAddressesAsExternal() throws Exception {
        assertThat(HttpTargetPolicy.isInternal(java.net.InetAddress.getByName("93.184.216.34"))).isFalse();
        assertThat(HttpTargetPolicy.isInternal(java.net.InetAddress.getByName("2606:2800:220:1::1"))).isFalse();
        assertThatCode(() -> new HttpTargetPolicy(List.of(), HttpTargetPolicy.SYSTEM).check(URI.create("http://93.184.216.34/"))).doesNotThrowAnyException();
    }
    /** The SSRF table: every range the policy refuses, with its edges, and public addresses next to them. */
    @ParameterizedTest(name = "{0} internal={1}")
    @CsvSource({
            // IPv4 this network and unspecified, 0.0.0.0/8
            "0.0.0.0, true", "0.1.2.3, true",
            // private 10/8, 172.16/12, 192.168/16
            "10.0.0.1, true", "10.255.255.255, true", "172.16.0.1, true", "172.31.255.255, true", "192.168.1.1, true",
            "172.15.255.255, false", "172.32.0.1, false", "11.0.0.1, false",
            // loopback 127/8
            "127.0.0.1, true", "127.255.0.9, true",
            // link-local 169.254/16 (cloud metadata)
            "169.254.169.254, true", "169.253.1.1, false",
            // carrier-grade NAT 100.64/10
            "100.64.0.1, true", "100.127.255.255, true", "100.63.255.255, false", "100.128.0.1, false",
            // IETF protocol assignments 192.0.0.0/24, benchmarking 198.18/15
            "192.0.0.8, true", "192.0.1.1, false", "198.18.0.1, true", "198.19.255.255, true", "198.17.255.255, false",
            "198.20.0.1, false",
            // multicast 224/4, reserved 240/4, broadcast
            "224.0.0.1, true", "239.255.255.250, true", "240.0.0.1, true", "255.255.255.255, true",
            // public IPv4
            "93.184.216.34, false", "8.8.8.8, false", "1.1.1.1, false",
            // IPv6 unspecified, loopback, link-local, site-local, unique-local, multicast, discard
            "::, true", "::1, true", "fe80::1, true", "febf::1, true", "fec0::1, true", "fc00::1, true", "fd12:3456::1, true",
            "ff02::1, true", "100::1, true",
            // IPv4-mapped and IPv4-translated: judged by the IPv4 address they carry
            "::ffff:127.0.0.1, true", "::ffff:10.0.0.1, true", "::ffff:8.8.8.8, false", "::ffff:0:169.254.169.254, true",
            "::ffff:0:8.8.8.8, false",
            // IPv4-compatible ::a.b.c.d
            "::127.0.0.1, true", "::10.1.2.3, true", "::8.8.8.8, false",
            // NAT64 well-known prefix 64:ff9b::/96 (embedded IPv4) and local-use 64:ff9b:1::/48 (all of it)
            "64:ff9b::7f00:1, true", "64:ff9b::a9fe:a9fe, true", "64:ff9b::808:808, false", "64:ff9b:1::808:808, true",
            "64:ff9b:1:ffff::1, true",
            // 6to4 2002::/16 (embedded IPv4 in bits 16-48)
            "2002:7f00:1::1, true", "2002:a00:1::1, true", "2002:c0a8:101::1, true", "2002:808:808::1, false",
            // Teredo 2001::/32: the server address, and the client address stored inverted
            "2001:0:7f00:1::1, true", "2001:0:808:808::f5ff:fffe, true", "2001:0:808:808::f7f7:f7f7, false",
            // public IPv6
            "2606:2800:220:1::1, false", "2001:4860:4860::8888, false", "2a00:1450:4001::1, false"})
    void shouldJudgeEveryRangeOfTheSsrfTable(String address, boolean internal) throws Exception {
        assertThat(HttpTargetPolicy.isInternal(InetAddress.getByName(address))).isEqualTo(internal);
    }

    @Test
    void shouldRefuseAHostWhenAnyOfItsAddressesIsInternal() {
        // given a name that resolves to a public address and a private one
        HttpTargetPolicy policy = new HttpTargetPolicy(List.of(), host -> new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")});
        // then the whole host is refused, naming the internal address
        assertThatThrownBy(() -> policy.check(URI.create("https://mixed.example/")))
                .isInstanceOf(TerminalTaskException.class).hasMessageContaining("10.0.0.7");
    }

    @Test
    void shouldReturnTheCheckedAddressesAsTheOnlyTarget() throws Exception {
        // given a name with two public addresses
        InetAddress[] answer = {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("2606:2800:220:1::1")};
        HttpTargetPolicy policy = new HttpTargetPolicy(List.of(), host -> answer.clone());
        // when
        HttpTargetPolicy.Target target = policy.check(URI.create("https://API.Example./x"));
        // then the call may go to exactly those, for the normalised name
        assertThat(target.host()).isEqualTo("api.example");
        assertThat(target.addresses()).containsExactly(answer);
    }
}
