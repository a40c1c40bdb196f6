package io.flowraft.bench;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.DefinitionRef;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * DAGs, commands and a tiny driver shared by the benchmarks. Nothing here is measured: benchmarks build
 * their commands and engines with it in {@code @Setup} methods. The clock never moves (every command carries
 * {@link #NOW}), so leases never expire and no backoff is ever due during a run.
 */
final class Fixtures {

    static final long NOW = 1_700_000_000_000L;
    static final long LEASE_MS = 30_000;
    static final String TYPE = "work";
    static final List<String> TYPES = List.of(TYPE);
    static final String WORKER = "worker-1";
    static final String INPUT = "{\"orderId\":\"o-1\",\"amount\":150}";
    static final String OUTPUT = "{\"ok\":true,\"value\":42}";
    /** A condition every chain task after the first can carry; true for {@link #INPUT}. */
    static final String CONDITION = "input.amount > 100";

    static final String CHAIN = "chain";
    static final String FANOUT = "fanout";
    static final String FLAT = "flat";

    private Fixtures() {
    }

    static TaskSpec spec(String id, List<String> dependsOn, String when) {
        return new TaskSpec(id, TYPE, dependsOn, null, when, TriggerRule.ALL_SUCCESS, RetryPolicy.DEFAULT,
                TaskSpec.DEFAULT_TIMEOUT_MS, null);
    }

    /** t0 → t1 → … → t9; {@code when} (or null) on every task but the first. */
    static List<TaskSpec> chain(int n, String when) {
        List<TaskSpec> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(i == 0 ? spec("t0", List.of(), null) : spec("t" + i, List.of("t" + (i - 1)), when));
        }
        return List.copyOf(tasks);
    }

    /** split → m0..m7 → join: 10 tasks. */
    static List<TaskSpec> fanOut() {
        List<TaskSpec> tasks = new ArrayList<>(10);
        tasks.add(spec("split", List.of(), null));
        List<String> middle = new ArrayList<>(8);
        for (int i = 0; i < 8; i++) {
            String id = "m" + i;
            middle.add(id);
            tasks.add(spec(id, List.of("split"), null));
        }
        tasks.add(spec("join", middle, null));
        return List.copyOf(tasks);
    }

    /** n independent tasks: all READY as soon as the workflow is submitted. */
    static List<TaskSpec> flat(int n) {
        List<TaskSpec> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(spec("t" + i, List.of(), null));
        }
        return List.copyOf(tasks);
    }

    static List<TaskSpec> dag(String shape) {
        return switch (shape) {
            case CHAIN -> chain(10, null);
            case FANOUT -> fanOut();
            case FLAT -> flat(10);
            default -> throw new IllegalArgumentException("Unknown DAG shape " + shape);
        };
    }

    /**
     * The i-th workflow id: a UUID string like the ones the REST layer generates (random-looking, so TreeMap
     * comparisons end early as they do in production), but the same for the same i on every run.
     */
    static String workflowId(int i) {
        return uuid(i);
    }

    /** The i-th poll id, shaped like the REST layer's {@code "poll-" + UUID}. */
    static String pollId(int i) {
        return "poll-" + uuid(-1 - i);
    }

    private static String uuid(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }

    static SubmitWorkflow submitInline(String workflowId, List<TaskSpec> tasks) {
        return new SubmitWorkflow(NOW, workflowId, null, null, tasks, INPUT);
    }

    static SubmitWorkflow submitDefinition(String workflowId, String definition) {
        return new SubmitWorkflow(NOW, workflowId, null, new DefinitionRef(definition, DefinitionRef.LATEST), null, INPUT);
    }

    /** A poll without a poll id: only for building state in setups. */
    static LeaseTasks lease(int maxTasks) {
        return new LeaseTasks(NOW, WORKER, TYPES, maxTasks, LEASE_MS, null);
    }

    /**
     * {@code count} polls as the REST layer proposes them: every one with its own poll id, so that each
     * non-empty grant is also remembered (a PollRecorded event) for an idempotent retry.
     */
    static LeaseTasks[] polls(int count, int maxTasks) {
        LeaseTasks[] polls = new LeaseTasks[count];
        for (int i = 0; i < count; i++) {
            polls[i] = new LeaseTasks(NOW, WORKER, TYPES, maxTasks, LEASE_MS, pollId(i));
        }
        return polls;
    }

    static CompleteTask complete(String leaseId) {
        return new CompleteTask(NOW, leaseId, OUTPUT);
    }

    /** Fails loudly: a rejected command is cheap and would make a benchmark look faster than it is. */
    static CommandResult check(CommandResult result) {
        if (result instanceof Rejection r) {
            throw new IllegalStateException("Benchmark command rejected: " + r);
        }
        return result;
    }

    /** An engine plus the log index of the next command. */
    static final class Driver {
        final Engine engine = new Engine();
        long index;

        CommandResult send(Command command) {
            return check(engine.apply(++index, command));
        }

        Driver register(String name, List<TaskSpec> tasks) {
            send(new RegisterDefinition(NOW, name, 0, tasks));
            return this;
        }

        List<GrantedLease> lease(int maxTasks) {
            return ((LeasesGranted) send(Fixtures.lease(maxTasks))).leases();
        }
    }
}
