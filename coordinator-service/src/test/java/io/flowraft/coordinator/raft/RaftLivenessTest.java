package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alipay.sofa.jraft.entity.EnumOutter.ErrorType;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.scheduling.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Liveness of one coordinator whose Raft node is not running: only what a restart mends turns it DOWN. */
class RaftLivenessTest {

    private final EngineStateMachine fsm = new EngineStateMachine(
            Engine::new, Runnable::run,
            new SnapshotFile(Path.of("unused")), new RaftMetrics(new SimpleMeterRegistry()));
    private final RaftNode notStarted = new RaftNode(new RaftProperties("127.0.0.1:7101", List.of(), "unused", "g",
            1000, 300, 300, 1000, 16, 16, 1000, 1000, "", false, Duration.ofSeconds(15)), fsm, null, null);

    @Test
    void shouldBeUpWhileNothingFailed() {
        Health health = new RaftLiveness(notStarted, fsm, () -> null, () -> null).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldGoDownWhenTheTickerMetAnError() {
        try (Ticker ticker = new Ticker(5, List.of(() -> {
            throw new OutOfMemoryError("injected by the test");
        }))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ticker.failure() != null);

            Health health = new RaftLiveness(notStarted, fsm, () -> null, ticker::failure).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason").toString()).contains("ticker", "OutOfMemoryError");
        }
    }

    @Test
    void shouldNameEveryCauseAtOnce() {
        fsm.onError(new RaftException(ErrorType.ERROR_TYPE_LOG, RaftError.EIO, "injected by the test"));

        Health health = new RaftLiveness(notStarted, fsm, () -> "the proposer thread has ended", () -> null).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString())
                .contains("ERROR state").contains("the proposer thread has ended");
    }
}
