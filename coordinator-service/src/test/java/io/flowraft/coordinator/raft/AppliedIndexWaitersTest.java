package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.coordinator.replication.ApplyListener;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Waits for this node to apply an index: woken in index order as entries apply, or answered false in time. */
class AppliedIndexWaitersTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final AtomicLong applied = new AtomicLong(10);
    private final AppliedIndexWaiters waiters = new AppliedIndexWaiters(applied::get, Runnable::run);

    private void apply(long index) {
        applied.set(index);
        waiters.applied(new ApplyListener.Applied(index, Map.of(), false, Set.of(), false));
    }

    @Test
    void shouldAnswerAtOnceForAnIndexAppliedAlready() {
        assertThat(waiters.await(10, LONG)).isCompletedWithValue(true);
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void shouldWakeEachWaiterOnceItsIndexIsApplied() {
        // given requests waiting for indexes 12 and 14
        CompletableFuture<Boolean> twelve = waiters.await(12, LONG);
        CompletableFuture<Boolean> fourteen = waiters.await(14, LONG);

        // when 11 and 12 are applied
        apply(11);
        assertThat(twelve).isNotDone();
        apply(12);

        // then only the wait for 12 is answered; 15 (a batch may skip numbers) answers the other
        assertThat(twelve).isCompletedWithValue(true);
        assertThat(fourteen).isNotDone();
        apply(15);
        assertThat(fourteen).isCompletedWithValue(true);
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void shouldWakeWaitersAtOrBelowALoadedSnapshot() {
        CompletableFuture<Boolean> below = waiters.await(50, LONG);
        CompletableFuture<Boolean> above = waiters.await(120, LONG);

        applied.set(100);
        waiters.applied(ApplyListener.Applied.snapshotLoaded(100));

        assertThat(below).isCompletedWithValue(true);
        assertThat(above).isNotDone();
    }

    @Test
    void shouldAnswerFalseWhenTheIndexIsNotAppliedInTime() {
        CompletableFuture<Boolean> late = waiters.await(99, Duration.ofMillis(50));

        assertThat(late.join()).isFalse();
        assertThat(waiters.waiting()).isZero();
    }
}
