package io.flowraft.worker.builtin;

import io.flowraft.worker.spi.TerminalTaskException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs the {@code http} handler may call. Task inputs come from whoever may submit workflows, so by
 * default a worker must not become a way into its own network (SSRF): a target that resolves to a loopback,
 * private, link-local (cloud metadata at 169.254.169.254), unique-local, carrier-grade NAT, multicast or
 * unspecified address is refused unless its host is named in {@code allowed-hosts}. A non-empty
 * {@code allowed-hosts} also limits every call to the hosts it names.
 *
 * <p>Known limit: the HTTP client resolves the name again when it connects, so a DNS server that answers
 * differently the second time (rebinding) is not caught here; restrict egress with a NetworkPolicy as well.
 */
final class HttpTargetPolicy {

    private final Set<String> allowedHosts;

    HttpTargetPolicy(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(HttpTargetPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @throws TerminalTaskException if the URL may not be called (another attempt would be refused too)
     * @throws UnknownHostException if the host does not resolve now (DNS may recover: retryable)
     */
    void check(URI uri) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TerminalTaskException("Only http and https URLs can be called, not '" + uri + "'");
        }
        if (uri.getHost() == null) {
            throw new TerminalTaskException("The URL '" + uri + "' names no host");
        }
        String host = normalise(uri.getHost());
        boolean named = allowedHosts.contains(host);
        if (!allowedHosts.isEmpty() && !named) {
            throw new TerminalTaskException("Host '" + host + "' is not in flowraft.worker.http.allowed-hosts");
        }
        if (named) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (isInternal(address)) {
                throw new TerminalTaskException("Host '" + host + "' resolves to " + address.getHostAddress()
                        + ", a loopback, private or link-local address; name it in flowraft.worker.http.allowed-hosts to allow it");
            }
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return false;
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
