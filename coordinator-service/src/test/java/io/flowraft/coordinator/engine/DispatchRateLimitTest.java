package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.TaskTypeConfigured;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per task type dispatch rate limits: a token bucket in the replicated state, refilled by the stamped time of the
 * lease commands (integer micro-tokens, so replicas agree exactly), enforced when leases are granted.
 */
class DispatchRateLimitTest {

    private final EngineHarness harness = new EngineHarness();

    private void submitTasks(String type, int count) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(task("t" + i).type(type).build());
        }
        harness.submit("wf-" + type, tasks);
    }

    private CommandResult limit(String type, long milliPerSecond) {
        return harness.send(new ConfigureTaskType(harness.now(), type, new RateLimit(milliPerSecond)));
    }

    /** Polls every {@code stepMs} from now through {@code durationMs} later; answers how many leases each poll got. */
    private List<Integer> pollEvery(long stepMs, long durationMs, String... types) {
        List<Integer> counts = new ArrayList<>();
        long end = harness.now() + durationMs;
        while (true) {
            counts.add(harness.lease("w", 100, types).size());
            if (harness.now() + stepMs > end) {
                return counts;
            }
            harness.advance(stepMs);
        }
    }

    @Test
    void shouldLeaseTheBurstThenAtTheRateByStampedTime() {
        // given 2 leases a second, and more READY tasks than that
        submitTasks("mail", 40);
        limit("mail", 2_000);
        // when a worker polls every 100 ms for 5 s (51 polls, at 0, 100, ..., 5000 ms)
        List<Integer> counts = pollEvery(100, 5_000, "mail");
        // then it gets the burst of 2 at once, then one lease every 500 ms: exactly 2 + 2 * 5
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
        assertThat(counts.getFirst()).isEqualTo(2);
        for (int i = 1; i < counts.size(); i++) {
            assertThat(counts.get(i)).as("poll at %d ms", i * 100).isEqualTo(i % 5 == 0 ? 1 : 0);
        }
        assertThat(harness.workflow("wf-mail").tasks()).filteredOn(t -> t.status() == TaskStatus.READY).hasSize(28);
    }

    @Test
    void shouldLoseNoFractionOfATokenHoweverOftenItRefills() {
        // given 0.5 leases a second: a bucket of one lease, full again 2 s after it was emptied
        submitTasks("slow", 20);
        limit("slow", 500);
        // when polled every 7 ms for 10 s, each poll adding 3,500 micro-tokens (3.5 milli-tokens)
        List<Integer> counts = pollEvery(7, 10_003, "slow");
        // then a lease at once, and each next one at the first poll 2 s after the one before (at 2002, 4004, ...
        // ms): a bucket that dropped the half milli-token of each refill would take 2334 ms instead
        List<Long> leasedAt = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) > 0) {
                assertThat(counts.get(i)).isEqualTo(1);
                leasedAt.add(i * 7L);
            }
        }
        assertThat(leasedAt).containsExactly(0L, 2_002L, 4_004L, 6_006L, 8_008L);
    }

    @Test
    void shouldRefillNoFurtherThanOneSecondsWorth() {
        submitTasks("mail", 20);
        limit("mail", 3_000);
        assertThat(harness.lease("w", 100, "mail")).hasSize(3);
        harness.advance(3_600_000);
        assertThat(harness.lease("w", 100, "mail")).hasSize(3);
        assertThat(harness.lease("w", 100, "mail")).isEmpty();
    }

    @Test
    void shouldAllowOneLeaseBurstForARateBelowOneASecond() {
        submitTasks("slow", 5);
        limit("slow", 1); // 0.001 a second: one lease, then one every 1000 s
        assertThat(harness.lease("w", 10, "slow")).hasSize(1);
        harness.advance(999_999);
        assertThat(harness.lease("w", 10, "slow")).isEmpty();
        harness.advance(1);
        assertThat(harness.lease("w", 10, "slow")).hasSize(1);
    }

    @Test
    void shouldLeaseOtherTypesBehindAHeldBackOne() {
        // given the oldest READY tasks are of a limited type, then tasks of a free one
        submitTasks("mail", 30);
        harness.advance(1);
        submitTasks("free", 5);
        limit("mail", 1_000);
        // when one poll asks for both
        List<GrantedLease> leases = harness.lease("w", 20, "mail", "free");
        // then one mail task and every free one
        assertThat(leases).extracting(GrantedLease::type).containsExactly("mail", "free", "free", "free", "free", "free");
    }

    @Test
    void shouldChangeNothingOnAnEmptyPollOfALimitedType() {
        submitTasks("mail", 3);
        limit("mail", 1_000);
        harness.lease("w", 10, "mail");
        String digest = harness.engine().digest();
        harness.advance(300);
        assertThat(harness.lease("w", 10, "mail")).isEmpty();
        assertThat(harness.engine().digest()).isEqualTo(digest);
    }

    @Test
    void shouldNotRefillWhenANewLeadersClockIsBehind() {
        submitTasks("mail", 5);
        limit("mail", 1_000);
        harness.advance(10_000);
        assertThat(harness.lease("w", 10, "mail")).hasSize(1);
        // a new leader stamps 5 s earlier, then catches up to 0.5 s after the last lease
        harness.advance(-5_000);
        assertThat(harness.lease("w", 10, "mail")).isEmpty();
        harness.advance(5_500);
        assertThat(harness.lease("w", 10, "mail")).isEmpty();
        harness.advance(500);
        assertThat(harness.lease("w", 10, "mail")).hasSize(1);
    }

    @Test
    void shouldKeepTheBucketWhenTheRateChangesAndReleaseTasksWhenTheLimitIsRemoved() {
        submitTasks("mail", 20);
        limit("mail", 5_000);
        assertThat(harness.lease("w", 2, "mail")).hasSize(2); // 3 left in the bucket
        // lowering the rate keeps what the bucket holds, up to the new capacity: re-setting cannot burst
        assertThat(limit("mail", 2_000)).isEqualTo(new TaskTypeConfigured("mail", new RateLimit(2_000), true));
        assertThat(harness.lease("w", 10, "mail")).hasSize(2);
        assertThat(limit("mail", 2_000)).isEqualTo(new TaskTypeConfigured("mail", new RateLimit(2_000), false));
        // removing the limit
        assertThat(harness.send(new ConfigureTaskType(harness.now(), "mail", null)))
                .isEqualTo(new TaskTypeConfigured("mail", null, true));
        assertThat(harness.engine().state().taskTypes()).isEmpty();
        assertThat(harness.lease("w", 100, "mail")).hasSize(16);
    }

    @Test
    void shouldRefuseBadSettingsNamingTheField() {
        assertThat(rejection(limit("mail", 0)).field()).isEqualTo("rateLimit.perSecond");
        assertThat(rejection(limit("mail", 1_000_000_001L)).field()).isEqualTo("rateLimit.perSecond");
        assertThat(rejection(limit("bad type", 1_000)).field()).isEqualTo("type");
        assertThat(harness.engine().state().taskTypes()).isEmpty();
    }

    @Test
    void shouldBoundTheNumberOfConfiguredTypesAndCountThemInTheStateSize() {
        long before = harness.engine().state().heldBytes();
        for (int i = 0; i < 10_000; i++) {
            assertThat(limit("type-" + i, 1_000)).isInstanceOf(TaskTypeConfigured.class);
        }
        assertThat(harness.engine().state().heldBytes()).isGreaterThan(before + 10_000L * 96);
        String digest = harness.engine().digest();
        Rejection limitExceeded = rejection(limit("one-more", 1_000));
        assertThat(limitExceeded.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(harness.engine().digest()).isEqualTo(digest);
        // a configured type may still change
        assertThat(limit("type-7", 2_000)).isInstanceOf(TaskTypeConfigured.class);
        assertThat(Engine.restore(harness.engine().snapshot()).state().heldBytes())
                .isEqualTo(harness.engine().state().heldBytes());
    }

    @Test
    void shouldGiveTheSameStateByReplayAndBySnapshotRestore() {
        // given a story of limits and leases, with a snapshot taken half-way
        submitTasks("mail", 30);
        submitTasks("free", 5);
        limit("mail", 1_500);
        pollEvery(130, 2_000, "mail", "free");
        Engine restored = Engine.restore(harness.engine().snapshot());
        long halfway = harness.index();
        limit("mail", 700);
        pollEvery(90, 3_000, "mail");
        // when the log is replayed from its encoding into a fresh engine, and the second half into the restored one
        Engine replayed = new Engine();
        long index = 0;
        for (Command command : harness.log()) {
            index++;
            Command decoded = CommandCodec.decode(CommandCodec.encode(command));
            replayed.apply(index, decoded);
            if (index > halfway) {
                restored.apply(index, decoded);
            }
        }
        // then all three hold the same state
        assertThat(replayed.digest()).isEqualTo(harness.engine().digest());
        assertThat(restored.digest()).isEqualTo(harness.engine().digest());
        assertThat(Engine.restore(harness.engine().snapshot()).digest()).isEqualTo(harness.engine().digest());
        assertThat(restored.state().taskType("mail")).isEqualTo(harness.engine().state().taskType("mail"));
    }

    private record Rejection(ProblemType type, String field) {
    }

    private static Rejection rejection(CommandResult result) {
        var r = EngineHarness.rejection(result);
        return new Rejection(r.type(), r.field());
    }
}
