package io.flowraft.coordinator.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.coordinator.engine.EngineHarness;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A poll waiting on a rate-limited type whose tokens ran out is woken once the bucket holds a token again by the
 * leader's time, once per refill, and only polls of that type.
 */
class RateLimitWakeupTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    private final EngineHarness harness = new EngineHarness();
    private final AtomicLong leaderTime = new AtomicLong(EngineHarness.START);
    private final TaskArrivalsRegistry registry = new TaskArrivalsRegistry(new LocalReader(), leaderTime::get);

    /** Reads the harness's engine on the calling thread. */
    private final class LocalReader implements StateReader {
        @Override
        public <T> CompletableFuture<T> read(ReadConsistency consistency, Function<EngineReadState, T> query) {
            return CompletableFuture.completedFuture(local(query));
        }

        @Override
        public <T> CompletableFuture<T> readAfter(long index, Function<EngineReadState, T> query) {
            return CompletableFuture.completedFuture(local(query));
        }

        @Override
        public <T> T local(Function<EngineReadState, T> query) {
            return query.apply(harness.engine().state());
        }
    }

    @Test
    void shouldWakeWaitersOfAStarvedTypeOnceWhenItsTokenComesBack() {
        // given 1 lease a second on "mail", its token taken, and two more mail tasks READY
        harness.submit("wf-1", EngineHarness.dag(EngineHarness.task("a").type("mail"), EngineHarness.task("b").type("mail"),
                EngineHarness.task("c").type("mail")));
        harness.send(new ConfigureTaskType(harness.now(), "mail", new RateLimit(1_000)));
        assertThat(harness.lease("w", 10, "mail")).hasSize(1);
        CompletableFuture<Void> mail = registry.await(List.of("mail"), 1, LONG);
        CompletableFuture<Void> other = registry.await(List.of("work"), 1, LONG);

        // when the leader's time is short of the refill, nothing wakes
        leaderTime.set(EngineHarness.START + 999);
        registry.tick();
        assertThat(mail).isNotDone();

        // then at the refill the mail poll wakes, and the other type's does not
        leaderTime.set(EngineHarness.START + 1_000);
        registry.tick();
        assertThat(mail).isDone();
        assertThat(other).isNotDone();

        // and the same refill does not wake a later poll again on every tick
        CompletableFuture<Void> late = registry.await(List.of("mail"), 1, LONG);
        leaderTime.set(EngineHarness.START + 1_500);
        registry.tick();
        assertThat(late).isNotDone();

        // until a lease takes the token and the next refill comes
        harness.advance(1_000);
        assertThat(harness.lease("w", 10, "mail")).hasSize(1);
        leaderTime.set(EngineHarness.START + 2_000);
        registry.tick();
        assertThat(late).isDone();
    }
}
