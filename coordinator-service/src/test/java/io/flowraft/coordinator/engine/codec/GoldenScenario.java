package io.flowraft.coordinator.engine.codec;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.DefinitionRef;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The command log the golden files of the current format hold: a fixed story that uses every command kind and
 * every field of the formats (engine limits and retention, bootstrap and admin, the cluster's name; export
 * acknowledgements and retention with evictions and kept keys; definitions with conditions, templates, trigger
 * rules, retry policies, concurrency limits; inline and definition submits with idempotency keys; polls with poll
 * ids and pollers; completions, retryable and terminal failures, heartbeats, expiries, a cancel; polls and
 * reports with and without the caller's principal, a report refused for another principal's lease; task type
 * rate limits set, changed and removed, and a poll held back by one; submits with a valid and a malformed
 * trace context). The files of
 * an older format were written by the story as it was then; changing the story only changes what the next
 * format's files will hold. Several commands share one log entry, as under load. The story
 * is driven against a live engine so that lease ids come from real grants.
 */
final class GoldenScenario {

    static final long START = 1_750_000_000_000L;
    static final String TRACED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final Engine engine = new Engine();
    private final List<List<Command>> entries = new ArrayList<>();
    private List<Command> pending = new ArrayList<>();
    private long index;
    private long now = START;

    /** The log entries, each a batch of commands, in log order; entry {@code i} sits at index {@code i + 1}. */
    static List<List<Command>> entries() {
        GoldenScenario scenario = new GoldenScenario();
        scenario.play();
        return scenario.entries;
    }

    private void play() {
        TaskSpec validate = task("validate", "check", List.of(), "{\"order\":\"${input.order}\"}", null,
                TriggerRule.ALL_SUCCESS, new RetryPolicy(3, 100, 2.0, 1_000), null);
        TaskSpec charge = task("charge", "payment", List.of("validate"), "{\"amount\":\"${input.amount}\"}",
                "input.amount > 0", TriggerRule.ALL_SUCCESS, new RetryPolicy(2, 50, 1.5, 500),
                new ConcurrencyLimit("psp", 2));
        TaskSpec reserve = task("reserve", "stock", List.of("validate"), "{\"sku\":\"${input.sku}\",\"n\":1}", null,
                TriggerRule.ALL_SUCCESS, RetryPolicy.DEFAULT, null);
        TaskSpec ship = task("ship", "shipping", List.of("charge", "reserve"),
                "{\"payment\":\"${tasks.charge.output.id}\",\"note\":\"order ${input.order}\"}", null,
                TriggerRule.NONE_FAILED, RetryPolicy.DEFAULT, null);
        TaskSpec notify = task("notify", "mail", List.of("ship"), "{\"to\":\"$${literal}\"}",
                "tasks.ship.status == \"COMPLETED\"", TriggerRule.ALL_DONE, new RetryPolicy(1, 0, 1.0, 0), null);
        List<TaskSpec> orders = List.of(validate, charge, reserve, ship, notify);

        entry(new ConfigureEngine(now, EngineLimits.DEFAULT.withMaxStateBytes(512 * EngineLimits.MIB),
                new Retention(60_000, 600_000), "golden-cluster", true));
        entry(new RegisterDefinition(now, "orders", 0, orders));
        entry(new RegisterDefinition(now, "orders", 1, orders),
                new RegisterDefinition(now, "single", 0, List.of(task("only", "check", List.of(), null, null,
                        TriggerRule.ONE_SUCCESS, RetryPolicy.DEFAULT, null))));
        // stock: one lease a second, so the first poll gets one of the two stock tasks; mail: set, changed, removed
        entry(new ConfigureTaskType(now, "stock", new RateLimit(1_000)),
                new ConfigureTaskType(now, "mail", new RateLimit(2_500)));
        entry(new ConfigureTaskType(now, "mail", new RateLimit(500)), new ConfigureTaskType(now, "mail", null),
                new ConfigureTaskType(now, "bad type!", new RateLimit(1)));
        tick(10);
        entry(new SubmitWorkflow(now, "wf-1", "key-1", new DefinitionRef("orders", DefinitionRef.LATEST), null,
                        "{\"order\":\"o-1\",\"amount\":42,\"sku\":\"s-9\"}"),
                new SubmitWorkflow(now, "wf-2", null, new DefinitionRef("orders", 1), null,
                        "{\"order\":\"o-2\",\"amount\":0,\"sku\":\"s-1\"}"),
                new SubmitWorkflow(now, "wf-3", null, null, List.of(validate), "{\"order\":\"o-3\"}"));
        entry(new SubmitWorkflow(now, "wf-dup", "key-1", new DefinitionRef("orders", DefinitionRef.LATEST), null,
                "{\"order\":\"o-1\",\"amount\":42,\"sku\":\"s-9\"}"));
        tick(5);
        List<GrantedLease> checks = lease(new LeaseTasks(now, "worker-a", null, List.of("check"), 10, 5_000, "poll-1",
                "principal-a"));
        entry(new LeaseTasks(now, "worker-a", null, List.of("check"), 10, 5_000, "poll-1", "principal-a")); // a retry
        entry(new LeaseTasks(now, "worker-a", "loop-b", List.of("mail"), 10, 5_000, "poll-b1"));
        tick(100);
        entry(new Heartbeat(now, checks.get(0).leaseId(), "principal-a"),
                new Heartbeat(now, checks.get(1).leaseId(), "intruder")); // refused: not its lease
        entry(new CompleteTask(now, checks.get(0).leaseId(), "{\"ok\":true}", "principal-a"),
                new FailTask(now, checks.get(1).leaseId(), "flaky network", true, "principal-a"),
                new FailTask(now, checks.get(2).leaseId(), "not mine", false, "intruder"), // refused
                new CompleteTask(now, checks.get(2).leaseId(), "{\"ok\":true}", "principal-a"));
        entry(new CompleteTask(now, checks.get(0).leaseId(), "{\"ok\":true}", "principal-a"), // a repeated report
                new CompleteTask(now, checks.get(0).leaseId(), "{\"ok\":true}", "intruder")); // refused
        tick(1_000);
        List<GrantedLease> work = lease(new LeaseTasks(now, "worker-b", null, List.of("payment", "stock", "check"), 10,
                2_000, "poll-2", "principal-b"));
        tick(10);
        for (GrantedLease lease : work) {
            if (lease.type().equals("payment")) {
                entry(new CompleteTask(now, lease.leaseId(), "{\"id\":\"pay-" + lease.workflowId() + "\"}",
                        "principal-b"));
            } else if (lease.type().equals("stock")) {
                entry(new FailTask(now, lease.leaseId(), "out of stock", true, "principal-b"));
            }
        }
        tick(3_000);
        entry(new ExpireLeases(now));
        tick(10_000);
        for (int round = 0; round < 3; round++) {
            List<GrantedLease> later = lease(new LeaseTasks(now, "worker-c", null,
                    List.of("check", "stock", "shipping", "mail"), 20, 30_000, null, "principal-c"));
            tick(10);
            for (GrantedLease lease : later) {
                entry(new CompleteTask(now, lease.leaseId(), "{\"done\":\"" + lease.taskId() + "\"}", "principal-c"));
            }
            tick(1_000);
        }
        entry(new ConfigureEngine(now, EngineLimits.DEFAULT, false),
                new ConfigureEngine(now, EngineLimits.DEFAULT.withMaxWorkflowBytes(1), false));
        entry(new CancelWorkflow(now, "wf-2", "customer changed their mind"),
                new CancelWorkflow(now, "wf-2", null),
                new CancelWorkflow(now, "nope", null));
        entry(new SubmitWorkflow(now, "bad id!", null, null, List.of(validate), "{}"),
                new CompleteTask(now, "not-a-lease", "{}"));
        entry(new AcknowledgeExport(now, index));
        tick(61_000);
        entry(new ApplyRetention(now)); // evicts the finished workflows, keeps wf-1's key
        entry(new SubmitWorkflow(now, "wf-again", "key-1", new DefinitionRef("orders", DefinitionRef.LATEST), null,
                "{\"order\":\"o-1\",\"amount\":42,\"sku\":\"s-9\"}")); // answered from the kept key
        tick(600_000);
        entry(new ApplyRetention(now)); // the key expires
        // traced submits (format 5): a valid trace context is kept, a malformed one dropped; both stay in the snapshot
        tick(10);
        entry(new SubmitWorkflow(now, "wf-traced", null, new DefinitionRef("single", DefinitionRef.LATEST), null, "{}",
                        TRACED),
                new SubmitWorkflow(now, "wf-bad-trace", null, null, List.of(validate), "{\"order\":\"o-4\"}",
                        "00-not-a-trace-context"));
        flush();
    }

    private static TaskSpec task(String id, String type, List<String> dependsOn, String input, String when,
            TriggerRule trigger, RetryPolicy retry, ConcurrencyLimit concurrency) {
        return new TaskSpec(id, type, dependsOn, input, when, trigger, retry, 60_000, concurrency);
    }

    private void tick(long millis) {
        now += millis;
    }

    private void entry(Command... commands) {
        flush();
        for (Command command : commands) {
            apply(command);
        }
        flush();
    }

    private List<GrantedLease> lease(LeaseTasks command) {
        flush();
        CommandResult result = apply(command);
        flush();
        return ((LeasesGranted) result).leases();
    }

    private CommandResult apply(Command command) {
        pending.add(command);
        return engine.apply(index + 1, command);
    }

    private void flush() {
        if (!pending.isEmpty()) {
            entries.add(List.copyOf(pending));
            pending = new ArrayList<>();
            index++;
        }
    }
}
