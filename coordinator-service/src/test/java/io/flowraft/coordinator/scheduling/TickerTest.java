package io.flowraft.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TickerTest {

    @Test
    void shouldReportAnErrorAndKeepTicking() {
        // given a tick that meets an Error once, and a second task after it
        AtomicInteger failing = new AtomicInteger();
        List<Integer> afterRanInTick = new CopyOnWriteArrayList<>();
        StackOverflowError error = new StackOverflowError("injected by the test");
        Runnable failsOnce = () -> {
            if (failing.incrementAndGet() == 1) {
                throw error;
            }
        };
        try (Ticker ticker = new Ticker(5, List.of(failsOnce, () -> afterRanInTick.add(failing.get())))) {
            // when it has ticked a few times
            await().atMost(Duration.ofSeconds(5)).until(() -> afterRanInTick.size() >= 3);

            // then both tasks kept running, the second one in the tick that failed too, and the ticker still
            // reports the error
            assertThat(afterRanInTick).startsWith(1, 2, 3);
            assertThat(ticker.failure()).isSameAs(error);
        }
    }

    @Test
    void shouldKeepTickingWithoutReportingAFailureAfterAnException() {
        AtomicInteger ticks = new AtomicInteger();
        Runnable failsOnce = () -> {
            if (ticks.incrementAndGet() == 1) {
                throw new IllegalStateException("injected by the test");
            }
        };
        try (Ticker ticker = new Ticker(5, List.of(failsOnce))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 3);

            assertThat(ticker.failure()).isNull();
        }
    }
}
