package io.flowraft.worker.builtin;

import io.flowraft.worker.spi.TerminalTaskException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs the {@code http} handler may call, and at which addresses. Task inputs come from whoever may submit
 * workflows, so by default a worker must not become a way into its own network (SSRF): a target that resolves to
 * an address that is not publicly routable (see {@link #isInternal}) is refused unless its host is named in
 * {@code allowed-hosts}. A non-empty {@code allowed-hosts} also limits every call to the hosts it names.
 *
 * <p>The host is resolved once, here; every address it resolves to is checked, and the handler connects only to
 * those addresses ({@link Target}), so a DNS server that answers differently the second time (rebinding) cannot
 * move the call elsewhere.
 */
final class HttpTargetPolicy {

    /** Resolves a host name to its addresses: the JDK's resolver, or one a test controls. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final Resolver SYSTEM = InetAddress::getAllByName;

    /**
     * A checked target: the only addresses the call may connect to.
     *
     * @param host      the host as the URL names it (lower case, IPv6 literals without brackets)
     * @param addresses what it resolved to, every one checked
     */
    record Target(String host, List<InetAddress> addresses) {
    }

    private final Set<String> allowedHosts;
    private final Resolver resolver;

    HttpTargetPolicy(List<String> allowedHosts, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream().map(HttpTargetPolicy::normalise).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * Resolves the URL's host once and checks every address it resolves to.
     *
     * @throws TerminalTaskException if the URL may not be called (another attempt would be refused too)
     * @throws UnknownHostException if the host does not resolve now (DNS may recover: retryable)
     */
    Target check(URI uri) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TerminalTaskException("Only http and https URLs can be called, not " + (scheme.isEmpty() ? "a URL without scheme" : scheme));
        }
        if (uri.getHost() == null) {
            throw new TerminalTaskException("The url names no host");
        }
        String host = normalise(uri.getHost());
        boolean named = allowedHosts.contains(host);
        if (!allowedHosts.isEmpty() && !named) {
            throw new TerminalTaskException("Host '" + host + "' is not in flowraft.worker.http.allowed-hosts");
        }
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException("Host '" + host + "' resolves to no address");
        }
        if (!named) {
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    throw new TerminalTaskException("Host '" + host + "' resolves to " + address.getHostAddress()
                            + ", a loopback, private, link-local or otherwise internal address; name it in"
                            + " flowraft.worker.http.allowed-hosts to allow it");
                }
            }
        }
        return new Target(host, List.copyOf(Arrays.asList(addresses)));
    }

    /**
     * Whether an address is not a public unicast one, so a worker must not call it unless told by name.
     *
     * <p>IPv4: {@code 0.0.0.0/8} (this network, with the unspecified address), {@code 10/8}, {@code 100.64/10}
     * (carrier-grade NAT), {@code 127/8}, {@code 169.254/16} (link-local, cloud metadata), {@code 172.16/12},
     * {@code 192.0.0.0/24} (IETF protocol assignments), {@code 192.168/16}, {@code 198.18/15} (benchmarking),
     * {@code 224/4} (multicast) and {@code 240/4} (reserved, broadcast).
     *
     * <p>IPv6: {@code ::} and {@code ::1}, {@code fe80::/10} link-local, {@code fec0::/10} site-local,
     * {@code fc00::/7} unique-local, {@code ff00::/8} multicast, {@code 100::/64} discard, and
     * {@code 64:ff9b:1::/48} (local-use NAT64, a translator of the worker's own network). Addresses that carry an
     * IPv4 address are judged by it: IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-translated
     * {@code ::ffff:0:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4
     * {@code 2002::/16} and Teredo {@code 2001::/32} (its server and its obfuscated client address).
     */
    static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isInternalV4(bytes, 0);
        }
        if (address instanceof Inet6Address) {
            return isInternalV6(bytes);
        }
        return true; // an address family we do not know: not public as far as we can tell
    }

    private static boolean isInternalV4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xff;
        int b = bytes[offset + 1] & 0xff;
        int c = bytes[offset + 2] & 0xff;
        return a == 0 || a == 10 || a == 127 || a >= 224
                || (a == 100 && b >= 64 && b < 128)
                || (a == 169 && b == 254)
                || (a == 172 && b >= 16 && b < 32)
                || (a == 192 && b == 168)
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19));
    }

    private static boolean isInternalV6(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xff) {
            return true; // ff00::/8 multicast
        }
        if ((first & 0xfe) == 0xfc) {
            return true; // fc00::/7 unique local
        }
        if (first == 0xfe && (second & 0xc0) >= 0x80) {
            return true; // fe80::/10 link-local, fec0::/10 site-local
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isInternalV4(b, 12); // ::ffff:a.b.c.d, IPv4-mapped
        }
        if (zero(b, 0, 12)) {
            return isInternalV4(b, 12); // ::a.b.c.d, IPv4-compatible (and :: and ::1, which fall in 0/8)
        }
        if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12)) {
            return isInternalV4(b, 12); // ::ffff:0:a.b.c.d, IPv4-translated
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (zero(b, 4, 12)) {
                return isInternalV4(b, 12); // 64:ff9b::/96, NAT64 well-known prefix
            }
            if ((b[4] & 0xff) == 0x00 && (b[5] & 0xff) == 0x01) {
                return true; // 64:ff9b:1::/48, local-use NAT64
            }
        }
        if (first == 0x20 && second == 0x02) {
            return isInternalV4(b, 2); // 2002::/16, 6to4
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~b[12 + i];
            }
            return isInternalV4(b, 4) || isInternalV4(client, 0); // 2001::/32, Teredo
        }
        return first == 0x01 && second == 0x00 && zero(b, 2, 8); // 100::/64 discard-only
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") && h.length() > 1 ? h.substring(0, h.length() - 1) : h;
    }
}
