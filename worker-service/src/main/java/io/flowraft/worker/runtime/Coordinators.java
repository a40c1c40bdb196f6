package io.flowraft.worker.runtime;

import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.worker.spi.RemoteText;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinators a worker talks to, one client each. Any coordinator serves any request (followers forward
 * to the leader), but one that leads spares every poll and report the forwarding hop: {@link #next()} stays
 * with the current coordinator while its answers say it leads ({@code FlowRaft-Role}), moves on to the next
 * one as soon as an answer says it follows, and {@link #failed} moves on after a failure. Until a leader is
 * found this is round robin; after a leader change it finds the new one within a few requests.
 *
 * <p>Retrying is safe only because every worker request is idempotent on the coordinator: polls carry a
 * poll id, reports and heartbeats a lease id. Callers must resend the <em>same</em> request.
 */
final class Coordinators {

    private static final Logger log = LoggerFactory.getLogger(Coordinators.class);

    /** Whether a call may go on retrying (the worker is running, the task still wanted...). */
    interface Pacer {
        /** Waits {@code millis}, or less if retrying stops being wanted; false if the caller should give up. */
        boolean pause(long millis) throws InterruptedException;
    }

    private final List<FlowRaftClient> clients;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Backoff backoff;

    Coordinators(List<URI> uris, Duration requestTimeout, ClientCredentials credentials, Backoff backoff) {
        this.clients = uris.stream().map(uri -> new FlowRaftClient(uri, requestTimeout, credentials)).toList();
        this.backoff = backoff;
    }

    /** The coordinator to use: the current one while it leads (or has not said), else the next one. */
    FlowRaftClient next() {
        int at = cursor.get();
        FlowRaftClient current = clients.get(Math.floorMod(at, clients.size()));
        if (Boolean.FALSE.equals(current.answeredAsLeader())) {
            moveOn(at);
            return clients.get(Math.floorMod(cursor.get(), clients.size()));
        }
        return current;
    }

    /** A call to {@code client} failed: the next call goes to another coordinator (unless one moved on already). */
    void failed(FlowRaftClient client) {
        int at = cursor.get();
        if (clients.get(Math.floorMod(at, clients.size())) == client) {
            moveOn(at);
        }
    }

    /**
     * Moves from the coordinator at {@code at} to the next one, and forgets what that one last said of its role:
     * it said it while the worker was talking to others, perhaps before an election. Trusting it would skip a
     * coordinator that said "follower" and has led since, for as long as the others fail.
     */
    private void moveOn(int at) {
        if (cursor.compareAndSet(at, at + 1)) {
            clients.get(Math.floorMod(at + 1, clients.size())).forgetRole();
        }
    }

    int size() {
        return clients.size();
    }

    /** Whether a failure of a call may go away on another try or another coordinator. */
    static boolean isTransient(RuntimeException e) {
        return e instanceof UncheckedIOException
                || (e instanceof FlowRaftProblemException problem && problem.isRetryable());
    }

    static Long retryAfter(RuntimeException e) {
        return e instanceof FlowRaftProblemException problem && problem.problem() != null
                ? problem.problem().retryAfterSeconds() : null;
    }

    /**
     * Calls {@code call} on one coordinator after another until it answers, backing off after each transport
     * error, 429, 503 or 504. Any other problem is thrown at once.
     *
     * @return the answer, or {@code null} if {@code pacer} gave up first
     */
    <T> T callWithRetry(String what, Function<FlowRaftClient, T> call, Pacer pacer) throws InterruptedException {
        int failures = 0;
        while (true) {
            FlowRaftClient client = next();
            try {
                return call.apply(client);
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                failed(client);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(what + " interrupted");
                }
                failures++;
                long delay = backoff.delayMs(failures, retryAfter(e));
                log.info("{} via {} failed ({}); trying the next coordinator in {} ms", what, client.baseUri(),
                        RemoteText.escape(e.getMessage()), delay);
                if (!pacer.pause(delay)) {
                    return null;
                }
            }
        }
    }

    Backoff backoff() {
        return backoff;
    }
}
