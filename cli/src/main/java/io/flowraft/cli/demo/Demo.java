package io.flowraft.cli.demo;

import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.cli.local.LocalCluster;
import io.flowraft.cli.local.LocalPostgres;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./flowraft demo}: starts three coordinators and two workers, registers an order pipeline with
 * sequential, parallel and conditional paths, runs a few hundred orders with live progress, SIGKILLs the
 * leader part-way, and prints what happened: workflows completed, tasks run, the failover time, throughput,
 * and how many acknowledged workflows were lost (the answer must be 0). History goes to PostgreSQL (see
 * {@link LocalPostgres}) with a short retention, so the summary also shows an order read back from PostgreSQL
 * after it left the replicated state. Everything is stopped at the end.
 *
 * <p>Usage: {@code Demo <coordinator-jar> <worker-jar> <dir> [orders]}.
 */
public final class Demo {

    private static final PrintStream OUT = System.out;

    /** Short, so that the demo sees finished orders leave the replicated state for PostgreSQL. */
    static final Duration RETENTION = Duration.ofSeconds(5);

    private final LocalCluster cluster;
    private final int orders;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cursor = new AtomicInteger();

    private Demo(LocalCluster cluster, int orders) {
        this.cluster = cluster;
        this.orders = orders;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Demo <coordinator-jar> <worker-jar> <dir> [orders]");
            System.exit(64);
        }
        Path coordinatorJar = Path.of(args[0]);
        Path workerJar = Path.of(args[1]);
        LocalCluster.requireFile(coordinatorJar);
        LocalCluster.requireFile(workerJar);
        int orders = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Summary summary = run(coordinatorJar, workerJar, Path.of(args[2]), orders);
        System.exit(summary.succeeded() ? 0 : 1);
    }

    /**
     * What the demo saw. It succeeded when every order completed, none was lost and the failover happened.
     *
     * @param failoverMs from the SIGKILL to a new leader being reported, or -1 if the kill was not reached
     * @param fromHistory an order as read back from PostgreSQL after its eviction, or null if none was seen
     */
    public record Summary(int orders, int acknowledged, int completed, int tasksRun, long failoverMs, int lost,
            double runSeconds, WorkflowView fromHistory) {

        public boolean succeeded() {
            return completed == orders && acknowledged == orders && lost == 0 && failoverMs >= 0
                    && fromHistory != null;
        }
    }

    /** Runs the whole demo on a fresh local cluster under {@code dir}, stopping it at the end. */
    public static Summary run(Path coordinatorJar, Path workerJar, Path dir, int orders) throws Exception {
        try (LocalPostgres postgres = LocalPostgres.resolve(dir, System.getenv(), OUT)) {
            OUT.println("History: " + postgres.origin() + "; finished orders leave the replicated state after "
                    + RETENTION.toSeconds() + " s");
            LocalCluster.Options demo = LocalCluster.Options.demo();
            LocalCluster.Options options = new LocalCluster.Options(demo.fixedPorts(), demo.coordinatorJvm(),
                    List.of("--flowraft.history.jdbc-url=" + postgres.jdbcUrl(),
                            "--flowraft.retention.finished-after=" + RETENTION.toSeconds() + "s"),
                    demo.workerJvm(), demo.workerArgs());
            try (LocalCluster cluster = new LocalCluster(coordinatorJar, workerJar, dir, 3, options)) {
                Summary summary = new Demo(cluster, orders).run();
                OUT.println("Stopping the cluster...");
                return summary;
            }
        }
    }

    private Summary run() throws Exception {
        long started = System.nanoTime();
        OUT.println("Starting 3 coordinators (HTTP 8081-8083, Raft 7101-7103) and 2 workers; logs in the demo dir.");
        cluster.startCoordinators();
        OUT.println("Credentials: " + cluster.credentialsFile() + " (an API key per role, made for this run;"
                + " the workers got the worker key)");
        waitFor("coordinators to elect a leader", cluster::coordinatorsReady, 120);
        int leader = waitFor("the leader", () -> cluster.leader().isPresent(), 30) ? cluster.leader().get() : -1;
        OUT.printf("Leader: coordinator %d (%s)%n", leader + 1, cluster.raftAddress(leader));
        cluster.startWorkers(2);
        waitFor("workers", cluster::workersReady, 120);

        client().registerDefinition(new RegisterDefinitionRequest("orders", null, pipeline()));
        OUT.println("Registered 'orders': validate -> (reserve || charge) -> ship | expressShip (by condition) -> notify");
        OUT.printf("Submitting %d orders; the leader will be killed part-way.%n", orders);

        long runStarted = System.nanoTime();
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        for (int i = 0; i < orders; i++) {
            int order = i;
            submitters.submit(() -> submit(order));
        }
        submitters.shutdown();

        long failoverMs = -1;
        int completed = 0;
        boolean killed = false;
        while (completed < orders) {
            completed = countCompleted(completed);
            progress(completed);
            if (!killed && completed >= orders / 3) {
                killed = true;
                int victim = cluster.leader().orElse(leader);
                long killedAt = System.nanoTime();
                cluster.killCoordinator(victim);
                OUT.printf("%n>>> SIGKILL coordinator %d, the leader (%s)%n", victim + 1, cluster.raftAddress(victim));
                while (cluster.leader().isEmpty()) {
                    LockSupport.parkNanos(20_000_000L);
                }
                failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
                int next = cluster.leader().get();
                OUT.printf(">>> coordinator %d leads after %d ms; work goes on%n", next + 1, failoverMs);
            }
            if ((System.nanoTime() - runStarted) / 1_000_000_000L > 180) {
                OUT.println();
                OUT.println("Gave up waiting after 180 s.");
                break;
            }
            LockSupport.parkNanos(250_000_000L);
        }
        double seconds = (System.nanoTime() - runStarted) / 1e9;
        OUT.println();
        WorkflowView fromHistory = completed > 0 ? evictedOrder() : null;
        return summary(completed, failoverMs, seconds, (System.nanoTime() - started) / 1e9, fromHistory);
    }

    /** validate -> (reserve, charge) -> ship | expressShip -> notify, with built-in handlers only. */
    private static List<TaskSpec> pipeline() {
        return List.of(
                task("validate", "echo", List.of(), null, null, "{\"order\":\"${input.orderId}\"}"),
                task("reserve", "sleep", List.of("validate"), null, null, "{\"ms\":20}"),
                task("charge", "echo", List.of("validate"), null, null, "{\"amount\":\"${input.amount}\"}"),
                task("ship", "echo", List.of("reserve", "charge"), "!input.express", null, "{\"how\":\"ground\"}"),
                task("expressShip", "echo", List.of("reserve", "charge"), "input.express", null, "{\"how\":\"air\"}"),
                task("notify", "echo", List.of("ship", "expressShip"), null, TriggerRule.NONE_FAILED,
                        "{\"order\":\"${input.orderId}\",\"charged\":\"${tasks.charge.output.amount}\"}"));
    }

    private static TaskSpec task(String id, String type, List<String> after, String when, TriggerRule trigger,
            String input) {
        JsonNode json = FlowRaftJson.mapper().readTree(input);
        return new TaskSpec(id, type, after, json, when, trigger, null, 30_000L, null);
    }

    private FlowRaftClient client() {
        List<FlowRaftClient> clients = cluster.liveClients();
        return clients.get(Math.floorMod(cursor.getAndIncrement(), clients.size()));
    }

    /** Submits one order, retrying through other coordinators with the same idempotency key until acknowledged. */
    private void submit(int order) {
        var input = FlowRaftJson.mapper().createObjectNode().put("orderId", "o-" + order).put("amount", 10 + order % 90)
                .put("express", order % 4 == 0);
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                WorkflowView view = client().submitWorkflow(new SubmitWorkflowRequest("orders", null, input, null),
                        "demo-order-" + order);
                acknowledged.add(view.id());
                return;
            } catch (UncheckedIOException | FlowRaftProblemException e) {
                LockSupport.parkNanos(100_000_000L);
            }
        }
    }

    private int countCompleted(int previous) {
        try {
            var page = client().listWorkflows(WorkflowStatus.COMPLETED, "orders", 500, null);
            int count = page.items().size();
            while (page.nextCursor() != null) {
                page = client().listWorkflows(WorkflowStatus.COMPLETED, "orders", 500, page.nextCursor());
                count += page.items().size();
            }
            return count;
        } catch (UncheckedIOException | FlowRaftProblemException e) {
            return previous; // the node asked may be the one just killed
        }
    }

    private void progress(int completed) {
        int width = 40;
        int filled = orders == 0 ? width : completed * width / orders;
        OUT.printf("\r[%s%s] %d/%d completed, %d acknowledged", "#".repeat(filled), ".".repeat(width - filled),
                completed, orders, acknowledged.size());
        OUT.flush();
    }

    /**
     * Waits for an acknowledged order to be answered from PostgreSQL: it finished, its history was exported, and
     * retention then evicted it from every replica's state. Null if that did not happen within a minute.
     */
    private WorkflowView evictedOrder() {
        List<String> ids = acknowledged.stream().sorted().toList();
        OUT.print("Waiting for a finished order to be evicted and read back from PostgreSQL");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String id : ids.subList(0, Math.min(ids.size(), 20))) {
                try {
                    WorkflowView view = client().getWorkflow(id);
                    if (WorkflowView.HISTORY.equals(view.source())) {
                        OUT.println(" ok");
                        return view;
                    }
                } catch (UncheckedIOException | FlowRaftProblemException e) {
                    // the node asked may be down; ask another on the next round
                }
            }
            OUT.print(".");
            OUT.flush();
            LockSupport.parkNanos(500_000_000L);
        }
        OUT.println(" not seen within 60 s");
        return null;
    }

    private Summary summary(int completed, long failoverMs, double runSeconds, double totalSeconds,
            WorkflowView fromHistory) {
        int tasksRun = 0;
        int lost = 0;
        for (String id : acknowledged) {
            try {
                WorkflowView view = client().getWorkflow(id);
                tasksRun += (int) view.tasks().stream().filter(t -> t.status() == TaskStatus.COMPLETED).count();
            } catch (FlowRaftProblemException e) {
                if (e.status() == 404) {
                    lost++;
                }
            }
        }
        OUT.println("Summary");
        OUT.printf("  workflows completed     %d of %d submitted (%d acknowledged)%n", completed, orders, acknowledged.size());
        OUT.printf("  tasks run               %d%n", tasksRun);
        OUT.printf("  failover                %s%n", failoverMs < 0 ? "not reached" : "new leader after " + failoverMs + " ms");
        OUT.printf("  throughput              %.0f workflows/s, %.0f tasks/s over %.1f s%n", completed / runSeconds,
                tasksRun / runSeconds, runSeconds);
        OUT.printf("  acknowledged but lost   %d%n", lost);
        if (fromHistory == null) {
            OUT.println("  read from PostgreSQL    none: no finished order was evicted and read back");
        } else {
            int lines = client().history(fromHistory.id()).entries().size();
            OUT.printf("  read from PostgreSQL    %s %s (%s), %d tasks, %d history lines, after eviction%n",
                    fromHistory.id(), fromHistory.status(), fromHistory.input().path("orderId").asString(),
                    fromHistory.tasks().size(), lines);
        }
        OUT.printf("  total demo time         %.1f s%n", totalSeconds);
        return new Summary(orders, acknowledged.size(), completed, tasksRun, failoverMs, lost, runSeconds,
                fromHistory);
    }

    private static boolean waitFor(String what, java.util.function.BooleanSupplier condition, int seconds) {
        OUT.print("Waiting for " + what);
        for (int i = 0; i < seconds * 4; i++) {
            if (condition.getAsBoolean()) {
                OUT.println(" ok");
                return true;
            }
            if (i % 4 == 0) {
                OUT.print(".");
                OUT.flush();
            }
            LockSupport.parkNanos(250_000_000L);
        }
        throw new IllegalStateException("Timed out waiting for " + what + " (see the logs in the demo dir)");
    }
}
