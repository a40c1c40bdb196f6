package io.flowraft.bench.cluster;

import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;

/**
 * The coordinators the harness talks to, round robin, as clients behind a Kubernetes Service would. A call
 * that meets a transport error, 429, 503 or 504 is sent again to the next coordinator after a short pause
 * (submits carry an idempotency key, so a resend never starts a second workflow). 429s are counted: the
 * report says how often the cluster pushed back.
 */
final class CoordinatorPool {

    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private final List<FlowRaftClient> clients;
    private final AtomicInteger cursor = new AtomicInteger();
    private final LongAdder tooManyRequests = new LongAdder();
    private final LongAdder resends = new LongAdder();

    CoordinatorPool(List<URI> coordinators, ClientCredentials credentials) {
        this.clients = coordinators.stream().map(uri -> new FlowRaftClient(uri, Duration.ofSeconds(30), credentials)).toList();
    }

    FlowRaftClient next() {
        return clients.get(Math.floorMod(cursor.getAndIncrement(), clients.size()));
    }

    /**
     * Calls until a coordinator answers; throws the last error after {@link #GIVE_UP_AFTER} or at once for a
     * problem that a resend cannot fix (a 4xx other than 429).
     */
    <T> T call(Function<FlowRaftClient, T> request) {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        int failures = 0;
        while (true) {
            try {
                return request.apply(next());
            } catch (FlowRaftProblemException e) {
                if (e.status() == 429) {
                    tooManyRequests.increment();
                }
                if (!e.isRetryable() || System.nanoTime() > deadline) {
                    throw e;
                }
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            resends.increment();
            // Short and growing, not the server's Retry-After (1 s): the harness wants to find the limit, and
            // open-loop latencies are measured from the intended send time, so the wait is counted anyway.
            LockSupport.parkNanos(Duration.ofMillis(Math.min(5L << Math.min(++failures, 6), 250)).toNanos());
        }
    }

    /** A request the caller sends again itself after this answer (a submit of a batch refused for now). */
    void countResend(int status) {
        if (status == 429) {
            tooManyRequests.increment();
        }
        resends.increment();
    }

    long tooManyRequests() {
        return tooManyRequests.sum();
    }

    long resends() {
        return resends.sum();
    }
}
