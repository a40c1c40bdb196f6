package io.flowraft.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker never leases more tasks than it has slots to run, globally or per type. */
class CapacityTest {

    @Test
    void shouldReserveNoMoreThanTheSmallestFreeLimitOfTheAskedTypes() throws Exception {
        // given 10 slots in all, 2 for "a", 5 for "b"
        Capacity capacity = new Capacity(10, Map.of("a", 2, "b", 5));

        // when a poll reserves for both types
        Capacity.Reservation first = capacity.reserve(List.of("a", "b"), () -> true);

        // then it may ask for 2 leases at most: the coordinator could answer with 2 of "a"
        assertThat(first.count()).isEqualTo(2);
        assertThat(first.types()).containsExactly("a", "b");

        // when it got one of each, the unused slots come back
        capacity.settle(first, Map.of("a", 1, "b", 1));
        assertThat(capacity.inUse()).isEqualTo(2);

        // then the next poll can still ask for 1 (only one "a" slot is left)
        Capacity.Reservation second = capacity.reserve(List.of("a", "b"), () -> true);
        assertThat(second.count()).isEqualTo(1);
        capacity.settle(second, Map.of("a", 1));

        // and once "a" is full, polls ask for "b" alone, up to its 4 free slots
        Capacity.Reservation third = capacity.reserve(List.of("a", "b"), () -> true);
        assertThat(third.types()).containsExactly("b");
        assertThat(third.count()).isEqualTo(4);
        capacity.settle(third, Map.of("b", 4));

        // and with every slot taken a poll waits, giving up when told to
        assertThat(capacity.inUse()).isEqualTo(7);
        assertThat(capacity.reserve(List.of("a", "b"), () -> false)).isNull();

        // a finished task frees its slot
        capacity.release("a");
        assertThat(capacity.reserve(List.of("a", "b"), () -> true).types()).containsExactly("a");
    }

    @Test
    void shouldHonourTheGlobalLimit() throws Exception {
        Capacity capacity = new Capacity(3, Map.of("a", 10, "b", 10));
        Capacity.Reservation reservation = capacity.reserve(List.of("a", "b"), () -> true);
        assertThat(reservation.count()).isEqualTo(3);
        capacity.settle(reservation, Map.of("a", 2, "b", 1));
        assertThat(capacity.reserve(List.of("a", "b"), () -> false)).isNull();
    }

    @Test
    void shouldHandTheSlotsOfReportedTasksToTheirExchangeBeforeAWaitingPoll() throws Exception {
        // given a full worker: 3 slots, all leased ("a" may run 2 at once, "b" 3)
        Capacity capacity = new Capacity(3, Map.of("a", 2, "b", 3));
        Capacity.Reservation all = capacity.reserve(List.of("a", "b"), () -> true);
        capacity.settle(all, Map.of("a", 2, "b", 1));
        assertThat(capacity.inUse()).isEqualTo(3);

        // when the reports of two "a" tasks leave with a poll for their successors
        Capacity.Reservation next = capacity.handOver(List.of("a", "a"), List.of("a", "b"));

        // then the exchange holds both slots: no poll could take them meanwhile
        assertThat(next.count()).isEqualTo(2);
        assertThat(next.types()).containsExactly("a", "b");
        assertThat(capacity.inUse()).isEqualTo(3);
        assertThat(capacity.reserve(List.of("a", "b"), () -> false)).isNull();

        // and when one successor was granted, the other slot goes back to the polls
        capacity.settle(next, Map.of("b", 1));
        assertThat(capacity.inUse()).isEqualTo(2);
        Capacity.Reservation poll = capacity.reserve(List.of("a", "b"), () -> true);
        assertThat(poll.count()).isEqualTo(1);
        capacity.settle(poll, Map.of());

        // and a type at its own limit is not asked for: with "b" full, an exchange asks for "a" alone
        Capacity typed = new Capacity(10, Map.of("a", 5, "b", 1));
        Capacity.Reservation held = typed.reserve(List.of("b"), () -> true);
        typed.settle(held, Map.of("b", 1));
        Capacity.Reservation onlyA = typed.handOver(List.of("a"), List.of("a", "b"));
        assertThat(onlyA.types()).containsExactly("a");
        assertThat(onlyA.count()).isEqualTo(1);
    }
}
