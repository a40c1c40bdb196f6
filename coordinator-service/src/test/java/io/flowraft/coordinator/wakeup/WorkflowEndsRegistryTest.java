package io.flowraft.coordinator.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.coordinator.replication.ApplyListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Waits for a workflow's end are woken by the entries that end that workflow, and by nothing else. */
class WorkflowEndsRegistryTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final WorkflowEndsRegistry registry = new WorkflowEndsRegistry(Runnable::run);

    private static ApplyListener.Applied ending(long index, String... workflowIds) {
        return new ApplyListener.Applied(index, Map.of(), false, Set.of(workflowIds), false);
    }

    @Test
    void shouldWakeOnlyTheWaitersOfTheWorkflowThatEnded() {
        // given two requests waiting for w-1 and one for w-2
        CompletableFuture<Void> first = registry.awaitEnd("w-1", LONG);
        CompletableFuture<Void> second = registry.awaitEnd("w-1", LONG);
        CompletableFuture<Void> other = registry.awaitEnd("w-2", LONG);

        // when an entry readies tasks but ends nothing, then one ends w-1
        registry.applied(new ApplyListener.Applied(5, Map.of("work", 1), true, Set.of(), false));
        assertThat(first).isNotDone();
        registry.applied(ending(6, "w-1", "w-3"));

        // then both waiters of w-1 are woken, the one of w-2 still waits
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(other).isNotDone();
        assertThat(registry.waiting()).isEqualTo(1);
    }

    @Test
    void shouldWakeEveryWaiterWhenASnapshotReplacesTheState() {
        // given waiters for two workflows
        CompletableFuture<Void> first = registry.awaitEnd("w-1", LONG);
        CompletableFuture<Void> second = registry.awaitEnd("w-2", LONG);

        // when a snapshot is loaded (either may have ended in it)
        registry.applied(ApplyListener.Applied.snapshotLoaded(40));

        // then both are woken, to read again
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(registry.waiting()).isZero();
    }

    @Test
    void shouldForgetAWaiterThatTimedOutOrWasCancelled() {
        // given a short wait and a cancelled one
        CompletableFuture<Void> timed = registry.awaitEnd("w-1", Duration.ofMillis(50));
        registry.awaitEnd("w-2", LONG).cancel(false);

        // when the short one times out
        await().atMost(Duration.ofSeconds(2)).until(timed::isDone);

        // then it completed normally and neither is kept
        assertThat(timed).isCompleted();
        assertThat(registry.waiting()).isZero();
    }

    @Test
    void shouldWakeAWaitForManyWorkflowsOnTheFirstEndAndForgetItUnderEveryId() {
        // given one wait for any of three workflows, and another request's wait for w-3
        CompletableFuture<Void> any = registry.awaitAnyEnd(List.of("w-1", "w-2", "w-3"), LONG);
        CompletableFuture<Void> alone = registry.awaitEnd("w-3", LONG);
        assertThat(registry.waiting()).isEqualTo(4);

        // when an entry ends w-2 only
        registry.applied(ending(9, "w-2"));

        // then the wait for many is woken and gone from w-1 and w-3 too; the other wait for w-3 stays
        assertThat(any).isCompleted();
        assertThat(alone).isNotDone();
        assertThat(registry.waiting()).isEqualTo(1);
    }
}
