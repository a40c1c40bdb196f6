package io.flowraft.coordinator.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.coordinator.replication.ApplyListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One READY task wakes one waiting poll, not all of them (each woken poll proposes a lease through Raft), and a
 * wake-up a poll did not use passes on, so no READY task is left with every poll asleep.
 */
class TaskArrivalsRegistryTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    // The state machine is only read by tick(), which these tests do not call.
    private final TaskArrivalsRegistry registry = new TaskArrivalsRegistry(null, System::currentTimeMillis);

    private static ApplyListener.Applied readied(Map<String, Integer> counts) {
        return new ApplyListener.Applied(7, counts, false, Set.of(), false);
    }

    @Test
    void shouldWakeAsManyWaitersAsTasksBecameReadyOldestFirst() {
        // given three polls waiting for "work", one task each
        CompletableFuture<Void> first = registry.await(List.of("work"), 1, LONG);
        CompletableFuture<Void> second = registry.await(List.of("work"), 1, LONG);
        CompletableFuture<Void> third = registry.await(List.of("work"), 1, LONG);

        // when one task becomes READY
        registry.applied(readied(Map.of("work", 1)));

        // then only the oldest poll is woken
        assertThat(first).isDone();
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();
        assertThat(registry.waiting()).isEqualTo(2);

        // and two more tasks wake the other two
        registry.applied(readied(Map.of("work", 2)));
        assertThat(second).isDone();
        assertThat(third).isDone();
    }

    @Test
    void shouldWakeOneWaiterForAsManyTasksAsItWants() {
        CompletableFuture<Void> big = registry.await(List.of("work"), 5, LONG);
        CompletableFuture<Void> next = registry.await(List.of("work"), 5, LONG);

        registry.applied(readied(Map.of("work", 3)));

        assertThat(big).isDone();
        assertThat(next).isNotDone();
    }

    @Test
    void shouldWakeOnlyWaitersOfTheReadiedTypes() {
        CompletableFuture<Void> mail = registry.await(List.of("mail"), 1, LONG);
        CompletableFuture<Void> work = registry.await(List.of("mail", "work"), 1, LONG);

        registry.applied(readied(Map.of("work", 1)));

        assertThat(mail).isNotDone();
        assertThat(work).isDone();
    }

    @Test
    void shouldPassAWakeUpOnWhenTheWokenPollDoesNotUseIt() {
        // given two waiting polls, the first woken by a READY task
        CompletableFuture<Void> first = registry.await(List.of("work"), 1, LONG);
        CompletableFuture<Void> second = registry.await(List.of("work"), 1, LONG);
        registry.applied(readied(Map.of("work", 1)));
        assertThat(second).isNotDone();

        // when the first poll lets its registration go unused (a lease already in flight answered it)
        registry.release(first);

        // then the second poll is woken in its place
        assertThat(second).isDone();
    }

    @Test
    void shouldWakeNobodyWhenAnUnwokenRegistrationIsReleased() {
        CompletableFuture<Void> first = registry.await(List.of("work"), 1, LONG);
        CompletableFuture<Void> second = registry.await(List.of("work"), 1, LONG);

        registry.release(first);

        assertThat(first).isCancelled();
        assertThat(second).isNotDone();
        assertThat(registry.waiting()).isEqualTo(1);
    }

    @Test
    void shouldSkipAWaiterThatIsGoneAndWakeTheNext() {
        // given the oldest poll timed out already
        CompletableFuture<Void> gone = registry.await(List.of("work"), 1, Duration.ofMillis(1));
        CompletableFuture<Void> waiting = registry.await(List.of("work"), 1, LONG);
        gone.join();

        // when a task becomes READY
        registry.applied(readied(Map.of("work", 1)));

        // then the wake-up is not lost on the timed-out one
        assertThat(waiting).isDone();
    }

    @Test
    void shouldWakeEveryWaiterWhenAnythingMayHaveBecomeLeasable() {
        CompletableFuture<Void> mail = registry.await(List.of("mail"), 1, LONG);
        CompletableFuture<Void> work = registry.await(List.of("work"), 1, LONG);

        registry.applied(new ApplyListener.Applied(8, Map.of(), true, Set.of(), false));

        assertThat(mail).isDone();
        assertThat(work).isDone();
    }
}
