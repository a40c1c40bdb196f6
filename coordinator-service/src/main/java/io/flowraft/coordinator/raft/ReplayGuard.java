package io.flowraft.coordinator.raft;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Refuses a forwarded request that is not fresh, or that this node already accepted: a request captured on the
 * network and sent again would otherwise act twice (a submit without an idempotency key makes a second workflow,
 * an old settings change or membership change undoes a newer one). Each sender numbers its requests within a
 * session it picked at random on start; this node remembers, per session, the highest number it accepted and
 * which of the {@value #WINDOW} below it it has seen, so requests may overtake one another but none is accepted
 * twice. A request sent more than {@link #MAX_AGE} ago (by its sender's clock) or more than that in the future
 * is refused, which bounds what must be remembered: a session quiet for longer is forgotten.
 *
 * <p>Runs only on requests whose MAC checked out, so only a holder of the cluster secret adds sessions. Each
 * node remembers its own: a request replayed to another node within {@link #MAX_AGE} is refused there by its
 * recipient check, not by this guard.
 */
final class ReplayGuard {

    /** How far a sender's clock and this node's may disagree, plus the request's time in flight. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final int WINDOW = 1 << 16;

    private static final class Session {
        long highest = -1;
        final long[] seen = new long[WINDOW / 64];
        long lastAcceptedMs;
    }

    private final LongSupplier clock;
    private final Map<Long, Session> sessions = new HashMap<>();
    private long lastSweepMs;

    ReplayGuard(LongSupplier clock) {
        this.clock = clock;
    }

    /** Null if the request is fresh and new (and is now remembered), else why it is refused. */
    synchronized String admit(long session, long sequence, long sentAtMs) {
        long now = clock.getAsLong();
        if (Math.abs(now - sentAtMs) > MAX_AGE.toMillis()) {
            return "Forwarded request sent at " + sentAtMs + " is outside " + MAX_AGE.toSeconds() + " s of this node's"
                    + " clock (" + now + "): replayed, or the coordinators' clocks disagree";
        }
        if (sequence < 0) {
            return "Forwarded request has a negative sequence number " + sequence;
        }
        sweep(now);
        Session s = sessions.computeIfAbsent(session, k -> new Session());
        if (sequence > s.highest) {
            slide(s, sequence);
        } else if (s.highest - sequence >= WINDOW) {
            return "Forwarded request " + sequence + " of session " + Long.toHexString(session) + " is too old ("
                    + "the newest accepted is " + s.highest + ")";
        }
        int bit = (int) (sequence % WINDOW);
        long mask = 1L << (bit % 64);
        if ((s.seen[bit / 64] & mask) != 0) {
            return "Forwarded request " + sequence + " of session " + Long.toHexString(session) + " was already accepted";
        }
        s.seen[bit / 64] |= mask;
        s.lastAcceptedMs = now;
        return null;
    }

    /** Makes {@code sequence} the highest, clearing the bits of the numbers the window moves past. */
    private static void slide(Session s, long sequence) {
        long gap = sequence - s.highest;
        if (gap >= WINDOW || s.highest < 0) {
            Arrays.fill(s.seen, 0);
        } else {
            for (long n = s.highest + 1; n <= sequence; n++) {
                int bit = (int) (n % WINDOW);
                s.seen[bit / 64] &= ~(1L << (bit % 64));
            }
        }
        s.highest = sequence;
    }

    /** Forgets sessions quiet for longer than any request of theirs could still be fresh. */
    private void sweep(long now) {
        if (now - lastSweepMs < MAX_AGE.toMillis()) {
            return;
        }
        lastSweepMs = now;
        sessions.values().removeIf(s -> now - s.lastAcceptedMs > 2 * MAX_AGE.toMillis());
    }

    synchronized int sessions() {
        return sessions.size();
    }
}
