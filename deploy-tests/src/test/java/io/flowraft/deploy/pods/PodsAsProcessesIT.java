package io.flowraft.deploy.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The chart's pods run as they would run in a namespace, from the images the build made: every coordinator and worker
 * container started with its rendered command, args and environment exactly as rendered (the ordinal DNS names
 * resolving to loopback addresses, the claims and Secret volumes as directories), then driven the way Kubernetes drives
 * them: probes, the helm test pod, a rolling restart under load and a scale from 3 to 5 coordinators and back through
 * {@code helm upgrade}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodsAsProcessesIT {

    private static final String RELEASE = "flowraft";
    private static final String NAMESPACE = "workflows";
    private static final String CLIENT_SERVICE = "flowraft-coordinator";
    private static final int API_PORT = 8081;
    private static final Duration START = Duration.ofMinutes(5);

    private static Path dir;
    private static LocalCluster cluster;
    private static Release installed;

    @BeforeAll
    static void install() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "pods-");
        installed = ChartReleases.render(RELEASE, NAMESPACE, values(3));
        cluster = new LocalCluster(dir.toAbsolutePath(), NAMESPACE, PodImages.built());
        cluster.install(installed, CLIENT_SERVICE, API_PORT);
    }

    @AfterAll
    static void uninstall() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (dir != null) {
            if (cluster != null) {
                keepLogs();
            }
            LocalPod.deleteTree(dir);
        }
    }

    /** Every pod's log, kept in target/pods-logs for a failure's diagnosis once the pods' directories are gone. */
    private static void keepLogs() throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "pods-logs"));
        for (LocalPod pod : cluster.everyPodStarted()) {
            if (Files.exists(pod.log())) {
                Files.copy(pod.log(), logs.resolve(pod.log().getParent().getFileName() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Map<String, String> values(int coordinators) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("coordinator.replicas", String.valueOf(coordinators));
        values.put("worker.autoscaling.enabled", "false");
        values.put("worker.replicas", "2");
        return values;
    }

    @Test
    @Order(1)
    void coordinatorsFormOneClusterOfTheRenderedPeersAndAnswerTheirProbes() {
        for (LocalPod pod : cluster.coordinatorPods()) {
            await("startup probe of " + pod).atMost(START).until(pod::started);
            LocalCluster.awaitReady(pod, START);
            assertThat(pod.live()).as("liveness of %s", pod).isTrue();
        }
        List<String> renderedPeers = Arrays.asList(env(cluster.coordinator(0), "FLOWRAFT_RAFT_PEERS").split(","));
        assertThat(renderedPeers).hasSize(3);
        for (LocalPod pod : cluster.coordinatorPods()) {
            ClusterView view = admin(URI.create("http://" + pod.ip() + ":" + API_PORT)).cluster();
            assertThat(view.leader()).as("leader seen by %s", pod).isNotNull();
            assertThat(view.peers()).containsExactlyInAnyOrderElementsOf(renderedPeers);
            assertThat(view.nodeId()).isEqualTo(env(pod, "FLOWRAFT_RAFT_ADDRESS"));
        }
    }

    @Test
    @Order(2)
    void theWorkerDeploymentRunsAChainOfTasks() {
        for (LocalPod worker : cluster.workerPods()) {
            LocalCluster.awaitReady(worker, START);
        }
        FlowRaftClient client = client("FLOWRAFT_CLIENT_KEY");
        client.registerDefinition(chain("k8s-chain"));
        WorkflowView submitted = client.submitWorkflow(new SubmitWorkflowRequest("k8s-chain", null,
                JsonNodeFactory.instance.objectNode().put("order", 1), "first-chain"));
        await("the chain completes").atMost(Duration.ofMinutes(3))
                .until(() -> "COMPLETED".equals(client.getWorkflow(submitted.id()).status().name()));
    }

    @Test
    @Order(3)
    void theHelmTestPodPasses() throws Exception {
        assertThat(cluster.runToCompletion(installed.testPod(), Duration.ofMinutes(4))).isZero();
    }

    @Test
    @Order(4)
    void aRollingRestartUnderLoadLosesNoAcknowledgedWorkflowAndAnswersNothingButRetried503s() throws Exception {
        Load load = new Load(client("FLOWRAFT_CLIENT_KEY"), "roll");
        load.start(4);
        await("load running").atMost(Duration.ofMinutes(2)).until(() -> load.acknowledged.size() >= 20);

        List<LocalPod.Termination> ends = cluster.rollingRestart();
        int beforeStop = load.acknowledged.size();
        await("load after the roll").atMost(Duration.ofMinutes(3))
                .until(() -> load.acknowledged.size() >= beforeStop + 20);
        load.stop();

        assertThat(ends).allSatisfy(end -> {
            assertThat(end.preStopStatus()).as("preStop (leadership handover) answered").isEqualTo(200);
            assertThat(end.exitedInGrace()).as("exited on SIGTERM within the grace period").isTrue();
        });
        assertThat(load.unexpected).as("answers other than success and retried 503s").isEmpty();
        assertThat(cluster.everyPodStarted().stream().mapToInt(LocalPod::livenessRestarts).sum())
                .as("containers the kubelet would have restarted for failing their liveness probe").isZero();
        awaitAllCompleted(load.acknowledged);
    }

    @Test
    @Order(5)
    void scalingFrom3To5CoordinatorsAndBackIsDoneByHelmUpgradeAlone() throws Exception {
        Load load = new Load(client("FLOWRAFT_CLIENT_KEY"), "scale");
        load.start(2);

        Release five = ChartReleases.render(RELEASE, NAMESPACE, values(5));
        cluster.upgrade(five);
        List<String> fivePeers = Arrays.asList(env(cluster.coordinator(4), "FLOWRAFT_RAFT_PEERS").split(","));
        assertThat(fivePeers).hasSize(5);
        awaitMembership(fivePeers);

        Release three = ChartReleases.render(RELEASE, NAMESPACE, values(3));
        cluster.upgrade(three);
        assertThat(cluster.coordinatorPods()).hasSize(3);
        List<String> threePeers = Arrays.asList(env(cluster.coordinator(0), "FLOWRAFT_RAFT_PEERS").split(","));
        awaitMembership(threePeers);
        load.stop();

        assertThat(load.unexpected).as("answers other than success and retried 503s").isEmpty();
        awaitAllCompleted(load.acknowledged);
        awaitEqualDigests();
    }

    @Test
    @Order(6)
    void aSnapshotCopiedOffOneVolumeRestoresTheClusterAsDocsKubernetesSays() throws Exception {
        FlowRaftClient client = client("FLOWRAFT_CLIENT_KEY");
        WorkflowView before = submitAndAwait(client, "before-backup");
        SnapshotView snapshot = admin(coordinatorUri(0)).snapshot();
        Path backup = dir.resolve("backup");
        copyTree(cluster.claim(0, "data").resolve("raft/snapshot"), backup.resolve("snapshot"));
        WorkflowView after = submitAndAwait(client, "after-backup");

        List<String> peers = peers();
        cluster.stopCoordinators();
        for (int ordinal = 0; ordinal < peers.size(); ordinal++) {
            Path raft = cluster.claim(ordinal, "data").resolve("raft");
            LocalPod.deleteTree(raft);
            copyTree(backup, raft);
        }
        cluster.startCoordinators();
        awaitMembership(peers);

        FlowRaftClient reader = admin(serviceUri());
        assertThat(reader.getWorkflow(before.id()).status().name()).isEqualTo("COMPLETED");
        assertThat(reader.cluster().appliedIndex()).isGreaterThanOrEqualTo(snapshot.index());
        assertThatThrownBy(() -> reader.getWorkflow(after.id()))
                .as("a workflow acknowledged after the snapshot is not in the restored state")
                .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
        submitAndAwait(client, "after-restore");
        awaitEqualDigests();
    }

    @Test
    @Order(7)
    void aLostMajorityIsRecoveredFromTheSurvivorsVolumeAsDocsKubernetesSays() throws Exception {
        FlowRaftClient client = client("FLOWRAFT_CLIENT_KEY");
        WorkflowView done = submitAndAwait(client, "before-loss");
        long survivorIndex = admin(coordinatorUri(0)).cluster().appliedIndex();

        List<String> peers = peers();
        cluster.stopCoordinators();
        Path survivor = cluster.claim(0, "data").resolve("raft");
        for (int ordinal = 1; ordinal < peers.size(); ordinal++) {
            Path lost = cluster.claim(ordinal, "data");
            LocalPod.deleteTree(lost); // the disk is gone
            copyTree(survivor, lost.resolve("raft"));
        }
        cluster.startCoordinators();
        awaitMembership(peers);

        FlowRaftClient reader = admin(serviceUri());
        assertThat(reader.getWorkflow(done.id()).status().name()).isEqualTo("COMPLETED");
        assertThat(reader.cluster().appliedIndex()).isGreaterThanOrEqualTo(survivorIndex);
        submitAndAwait(client, "after-recovery");
        awaitEqualDigests();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** Every coordinator holds the same state at the same index: one cluster, not two. */
    private static void awaitEqualDigests() {
        await("equal digests").atMost(Duration.ofMinutes(2)).until(() -> cluster.coordinatorPods().stream()
                .map(pod -> admin(URI.create("http://" + pod.ip() + ":" + API_PORT)).cluster())
                .map(view -> view.appliedIndex() + "/" + view.stateDigest())
                .collect(Collectors.toSet()).size() == 1);
    }

    /**
     * Submits under an idempotency key and waits for the workflow to complete. A 429/503/504 or a lost connection
     * (an election on a starved machine) is retried: with the same key a resubmit answers the same workflow.
     */
    private static WorkflowView submitAndAwait(FlowRaftClient client, String idempotencyKey) {
        WorkflowView submitted = await(idempotencyKey + " acknowledged").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptionsMatching(PodsAsProcessesIT::transientFailure)
                .until(() -> client.submitWorkflow(new SubmitWorkflowRequest("k8s-chain", null,
                        JsonNodeFactory.instance.objectNode().put("key", idempotencyKey), idempotencyKey)),
                        java.util.Objects::nonNull);
        await(idempotencyKey + " completes").atMost(Duration.ofMinutes(3))
                .ignoreExceptionsMatching(PodsAsProcessesIT::transientFailure)
                .until(() -> "COMPLETED".equals(client.getWorkflow(submitted.id()).status().name()));
        return submitted;
    }

    private static boolean transientFailure(Throwable e) {
        return e instanceof java.io.UncheckedIOException
                || e instanceof io.flowraft.contracts.client.FlowRaftProblemException problem && problem.isRetryable();
    }

    private static List<String> peers() {
        return Arrays.asList(env(cluster.coordinator(0), "FLOWRAFT_RAFT_PEERS").split(","));
    }

    private static URI coordinatorUri(int ordinal) {
        return URI.create("http://" + cluster.coordinator(ordinal).ip() + ":" + API_PORT);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }


    private static void awaitMembership(List<String> peers) {
        try {
            awaitMembershipOrTimeout(peers);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder(e.getMessage());
            for (LocalPod pod : cluster.coordinatorPods()) {
                why.append("\n").append(pod.diagnosis());
                try {
                    why.append("\ncluster view: ").append(admin(URI.create("http://" + pod.ip() + ":" + API_PORT))
                            .clusterStale());
                } catch (RuntimeException failure) {
                    why.append("\ncluster view: ").append(failure);
                }
            }
            System.err.println("PodsAsProcessesIT: " + why);
            throw new AssertionError(why.toString(), e);
        }
    }

    private static void awaitMembershipOrTimeout(List<String> peers) {
        await("membership " + peers).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (LocalPod pod : cluster.coordinatorPods()) {
                if (!pod.ready()) {
                    return false;
                }
                ClusterView view = admin(URI.create("http://" + pod.ip() + ":" + API_PORT)).cluster();
                if (view.leader() == null || !Set.copyOf(view.peers()).equals(Set.copyOf(peers))) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void awaitAllCompleted(Set<String> ids) {
        FlowRaftClient reader = admin(serviceUri());
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(ids);
        await("every acknowledged workflow completes").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try {
                        for (String id : List.copyOf(pending)) {
                            if ("COMPLETED".equals(reader.getWorkflow(id).status().name())) {
                                pending.remove(id);
                            }
                        }
                    } catch (FlowRaftProblemException e) {
                        if (e.status() != 429) { // over the admin's rate limit: go on at the next poll
                            throw e;
                        }
                    }
                    return pending.isEmpty();
                });
    }

    private static RegisterDefinitionRequest chain(String name) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            tasks.add(new TaskSpec("step" + i, "echo", i == 1 ? List.of() : List.of("step" + (i - 1)),
                    JsonNodeFactory.instance.objectNode().put("step", i), null, null, null, null, null));
        }
        return new RegisterDefinitionRequest(name, null, tasks);
    }

    private static String env(LocalPod pod, String name) {
        EnvVar var = pod.container().getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(pod + " has no env " + name));
        return pod.env().getOrDefault(name, var.getValue());
    }

    private static URI serviceUri() {
        return URI.create("http://" + cluster.clientServiceIp() + ":" + API_PORT);
    }

    private static FlowRaftClient admin(URI uri) {
        return new FlowRaftClient(uri, Duration.ofSeconds(10), ClientCredentials.bearer(credential("FLOWRAFT_ADMIN_KEY")));
    }

    private static FlowRaftClient client(String key) {
        return new FlowRaftClient(serviceUri(), Duration.ofSeconds(10), ClientCredentials.bearer(credential(key)));
    }

    private static String credential(String key) {
        return cluster.objects().secretText(RELEASE + "-credentials", key);
    }

    /**
     * Clients submitting chains through the client Service, each with an idempotency key retried until answered:
     * a 503 and a dropped connection (a pod going away) are retried with the same key; anything else is recorded.
     */
    private static final class Load {
        /** Each submitter's pace: a steady load the two cores keep up with, so probes measure the roll, not overload. */
        private static final Duration PACE = Duration.ofMillis(100);
        private static final Duration BACKOFF = Duration.ofMillis(50);
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final AtomicInteger retried503 = new AtomicInteger();
        final AtomicInteger droppedConnections = new AtomicInteger();
        private final FlowRaftClient client;
        private final String prefix;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(FlowRaftClient client, String prefix) {
            this.client = client;
            this.prefix = prefix;
        }

        void start(int submitters) {
            for (int t = 0; t < submitters; t++) {
                int submitter = t;
                threads.add(Thread.ofVirtual().start(() -> submitLoop(submitter)));
            }
        }

        private void submitLoop(int submitter) {
            for (int n = 0; running.get(); n++) {
                String key = prefix + "-" + submitter + "-" + n;
                while (true) {
                    try {
                        WorkflowView view = client.submitWorkflow(new SubmitWorkflowRequest("k8s-chain", null,
                                JsonNodeFactory.instance.objectNode().put("n", n), key));
                        acknowledged.add(view.id());
                        pause(PACE);
                        break;
                    } catch (FlowRaftProblemException e) {
                        if (e.status() != 503) {
                            unexpected.add(key + ": " + e.status() + " " + e.getMessage());
                            break;
                        }
                        retried503.incrementAndGet();
                    } catch (UncheckedIOException e) {
                        droppedConnections.incrementAndGet();
                    }
                    pause(BACKOFF);
                }
            }
        }

        private static void pause(Duration pause) {
            try {
                Thread.sleep(pause); // a client's pace or back-off, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
            System.out.printf("load %s: %d acknowledged, %d 503s retried, %d dropped connections retried%n", prefix,
                    acknowledged.size(), retried503.get(), droppedConnections.get());
        }
    }
}
