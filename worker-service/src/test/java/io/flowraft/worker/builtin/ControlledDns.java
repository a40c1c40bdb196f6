package io.flowraft.worker.builtin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (registered in {@code META-INF/services}): names ending in {@value #SUFFIX} are
 * answered from what a test set, in turn (the last answer repeats), and counted; every other name goes to the
 * JDK's own resolver. Code under test resolves through {@link InetAddress} as in production, and the worker tests
 * run with the JDK's address cache off (see the module's surefire settings), so each lookup reaches this resolver.
 */
public final class ControlledDns extends InetAddressResolverProvider {

    static final String SUFFIX = ".flowraft.test";

    private static final Map<String, List<InetAddress>> ANSWERS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

    /** From now on, {@code host} (ending in {@value #SUFFIX}) resolves to {@code answers[i]} at its i-th lookup. */
    static void answer(String host, String... answers) throws UnknownHostException {
        if (!host.endsWith(SUFFIX)) {
            throw new IllegalArgumentException(host + " does not end in " + SUFFIX);
        }
        InetAddress[] addresses = new InetAddress[answers.length];
        for (int i = 0; i < answers.length; i++) {
            addresses[i] = InetAddress.getByName(answers[i]); // literals: no lookup
        }
        LOOKUPS.put(host, new AtomicInteger());
        ANSWERS.put(host, List.of(addresses));
    }

    /** How many times {@code host} was looked up since {@link #answer}. */
    static int lookups(String host) {
        AtomicInteger count = LOOKUPS.get(host);
        return count == null ? 0 : count.get();
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(SUFFIX)) {
                    return builtin.lookupByName(host, policy);
                }
                List<InetAddress> answers = ANSWERS.get(host);
                if (answers == null) {
                    throw new UnknownHostException(host);
                }
                int lookup = LOOKUPS.get(host).getAndIncrement();
                return Stream.of(answers.get(Math.min(lookup, answers.size() - 1)));
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "flowraft-test-dns";
    }
}
