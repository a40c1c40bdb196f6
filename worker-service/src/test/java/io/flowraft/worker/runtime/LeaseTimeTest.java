package io.flowraft.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.HeartbeatResponse;
import io.flowraft.contracts.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A lease's deadline and heartbeat times on a monotonic clock the test moves by hand. */
class LeaseTimeTest {

    private static final Instant LEADER_NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final long ASKED_MS = 2_000;

    /** The monotonic clock: an arbitrary origin, as {@link System#nanoTime()} has. */
    private final AtomicLong nanos = new AtomicLong(-7_000_000_000L);

    private WorkerClock clock(long wallSkewMs) {
        return WorkerClock.of(InstantSource.fixed(LEADER_NOW.plusMillis(wallSkewMs)), nanos::get);
    }

    private void advance(long millis) {
        nanos.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    private static Lease lease(Instant expiresAt, Long remainingMs) {
        return new Lease("w.t.1", "w", "t", "type", 1, null, "w/t", expiresAt, remainingMs);
    }

    @ParameterizedTest(name = "wall clock {0} ms off")
    @ValueSource(longs = {-10_000, 0, 10_000})
    void shouldTimeTheLeaseFromItsArrivalWhateverTheWallClock(long skewMs) {
        // given a 2 s lease that arrives now on a worker whose wall clock is off
        LeaseTime time = new LeaseTime(clock(skewMs), ASKED_MS, lease(LEADER_NOW.plusMillis(2_000), 2_000L), nanos.get());

        // then the heartbeat is due in half of it, and the deadline comes after all of it
        assertThat(Duration.ofNanos(time.nanosUntilHeartbeat())).isEqualTo(Duration.ofSeconds(1));
        assertThat(time.remaining()).isEqualTo(Duration.ofSeconds(2));
        advance(1_500);
        assertThat(time.remaining()).isEqualTo(Duration.ofMillis(500));
        advance(600);
        assertThat(time.nanosLeft()).isNegative();
        assertThat(time.remaining()).isZero();
    }

    @Test
    void shouldTimeARenewalFromWhenItsHeartbeatLeft() {
        LeaseTime time = new LeaseTime(clock(0), ASKED_MS, lease(LEADER_NOW.plusMillis(2_000), 2_000L), nanos.get());
        advance(1_000);
        long sent = nanos.get();

        // when the answer, 2 s left as of its commit, takes 300 ms to come back
        advance(300);
        boolean moved = time.extended(new HeartbeatResponse("w.t.1", LEADER_NOW.plusMillis(3_000), 2_000L), sent);

        // then the lease ends 2 s after the heartbeat left, and the next heartbeat is due half way there
        assertThat(moved).isTrue();
        assertThat(time.remaining()).isEqualTo(Duration.ofMillis(1_700));
        assertThat(Duration.ofNanos(time.nanosUntilHeartbeat())).isEqualTo(Duration.ofMillis(700));
        assertThat(time.expiresAt()).isEqualTo(LEADER_NOW.plusMillis(3_000));
        assertThat(time.renewals()).isEqualTo(2);
    }

    @Test
    void shouldTellWhenTheLeaderNoLongerMovesTheLeasesEnd() {
        // given a lease that has reached the task's timeoutMs: 2.5 s after the grant
        LeaseTime time = new LeaseTime(clock(0), ASKED_MS, lease(LEADER_NOW.plusMillis(2_000), 2_000L), nanos.get());
        advance(1_000);
        assertThat(time.extended(new HeartbeatResponse("w.t.1", LEADER_NOW.plusMillis(2_500), 1_500L), nanos.get())).isTrue();
        advance(750);

        // when a heartbeat is answered with the same end
        boolean moved = time.extended(new HeartbeatResponse("w.t.1", LEADER_NOW.plusMillis(2_500), 750L), nanos.get());

        // then it did not move, and what is left is what the leader said
        assertThat(moved).isFalse();
        assertThat(time.remaining()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void shouldReadAnOlderCoordinatorsInstantOnTheWallClockNeverLongerThanAsked() {
        // given leases without their remaining time, as an older coordinator grants them
        Lease lease = lease(LEADER_NOW.plusMillis(2_000), null);

        // then the expiry is read against the wall clock, capped at the lease length asked for, never negative
        assertThat(new LeaseTime(clock(0), ASKED_MS, lease, nanos.get()).remaining()).isEqualTo(Duration.ofSeconds(2));
        assertThat(new LeaseTime(clock(500), ASKED_MS, lease, nanos.get()).remaining()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(new LeaseTime(clock(-10_000), ASKED_MS, lease, nanos.get()).remaining()).isEqualTo(Duration.ofSeconds(2));
        assertThat(new LeaseTime(clock(10_000), ASKED_MS, lease, nanos.get()).remaining()).isZero();
    }
}
