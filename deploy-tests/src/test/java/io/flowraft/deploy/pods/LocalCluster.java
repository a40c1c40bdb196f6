package io.flowraft.deploy.pods;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.flowraft.deploy.kube.FakeKubernetesApi;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The parts of Kubernetes a release meets, played on this machine: the API server's Secrets and ConfigMaps, the
 * StatefulSet controller (Parallel pod management, rolling update from the highest ordinal down, claims kept per
 * ordinal and deleted on scale-down when the retention policy says so), the Deployment's pods, Helm's hooks, and the
 * client Service. Pods are {@link LocalPod}s, each on a loopback address of its own.
 */
final class LocalCluster implements AutoCloseable {

    private static final String POD_NET = "127.0.83.";
    private static final int SERVICE_HOST = 2;
    private static final int FIRST_COORDINATOR_HOST = 10;
    private static final int FIRST_WORKER_HOST = 50;
    private static final int FIRST_JOB_HOST = 100;

    private final Path dir;
    private final Function<String, PodImage> images;
    private final ClusterObjects objects = new ClusterObjects();
    private final PodNetwork network;
    private final TreeMap<Integer, LocalPod> coordinators = new TreeMap<>();
    private final List<LocalPod> workers = new CopyOnWriteArrayList<>();
    private final List<LocalPod> everyPodStarted = new CopyOnWriteArrayList<>();
    private ServiceProxy clientService;
    private StatefulSet statefulSet;
    private int podsRun;
    private int jobsRun;

    /**
     * @param images the image for a reference as rendered ({@code repository:tag}): the tars the build made
     */
    LocalCluster(Path dir, String namespace, Function<String, PodImage> images) {
        this.dir = dir;
        this.images = images;
        this.network = new PodNetwork(namespace, dir.resolve("hosts"));
    }

    PodNetwork network() {
        return network;
    }

    ClusterObjects objects() {
        return objects;
    }

    synchronized List<LocalPod> coordinatorPods() {
        return List.copyOf(coordinators.values());
    }

    synchronized LocalPod coordinator(int ordinal) {
        return coordinators.get(ordinal);
    }

    List<LocalPod> workerPods() {
        return List.copyOf(workers);
    }

    /** Every pod started so far, replaced ones included (their logs stay for a failure's diagnosis). */
    List<LocalPod> everyPodStarted() {
        return List.copyOf(everyPodStarted);
    }

    String clientServiceIp() {
        return POD_NET + SERVICE_HOST;
    }

    // --- helm install / upgrade ------------------------------------------------------------------------------

    /** {@code helm install}: the objects, the coordinators all at once (Parallel), the workers, the client Service. */
    void install(Release release, String clientService, int apiPort) throws IOException {
        FakeKubernetesApi.get().clear(network.namespace());
        apply(release);
        statefulSet = release.coordinators();
        for (int ordinal = 0; ordinal < statefulSet.getSpec().getReplicas(); ordinal++) {
            startCoordinator(ordinal);
        }
        network.service(clientService, clientServiceIp());
        this.clientService = new ServiceProxy(clientServiceIp(), apiPort, apiPort, this::coordinatorPods, 500);
        var deployment = release.workers();
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        for (int i = 0; i < replicas; i++) {
            LocalPod worker = pod(deployment.getMetadata().getName() + "-" + i, POD_NET + (FIRST_WORKER_HOST + i),
                    deployment.getSpec().getTemplate(), Map.of());
            workers.add(worker.start());
        }
    }

    /**
     * {@code helm upgrade}: the pre-upgrade hooks run to completion first (a failed one stops the upgrade), then the
     * objects are applied and the StatefulSet controller does what the new spec asks: pods past the new replica
     * count go (with their claims when {@code whenScaled: Delete}), new ordinals start, and pods whose template
     * changed are replaced one by one from the highest ordinal down, each ready before the next.
     */
    void upgrade(Release release) throws Exception {
        for (Job hook : release.jobHooks("pre-upgrade")) {
            int exit = runToCompletion(hook.getMetadata().getName(), hook.getSpec().getTemplate(), Duration.ofMinutes(5));
            if (exit != 0) {
                throw new AssertionError("pre-upgrade hook " + hook.getMetadata().getName() + " failed with exit " + exit);
            }
        }
        apply(release);
        StatefulSet next = release.coordinators();
        int replicas = next.getSpec().getReplicas();
        boolean templateChanged = !Objects.equals(statefulSet.getSpec().getTemplate(), next.getSpec().getTemplate());
        statefulSet = next;
        List<Integer> gone = new ArrayList<>(coordinators.tailMap(replicas).keySet());
        for (int ordinal : gone.reversed()) {
            deleteCoordinator(ordinal);
            String policy = next.getSpec().getPersistentVolumeClaimRetentionPolicy() == null ? "Retain"
                    : next.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled();
            if ("Delete".equals(policy)) {
                for (Path claim : claims(ordinal).values()) {
                    LocalPod.deleteTree(claim);
                }
            }
        }
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            if (!coordinators.containsKey(ordinal)) {
                startCoordinator(ordinal);
            }
        }
        if (templateChanged) {
            rollingRestart();
        }
    }

    /**
     * What {@code kubectl rollout restart statefulset} does: each pod, from the highest ordinal down, deleted (the
     * kubelet's way) and started again, the next only once this one passes its readiness probe.
     *
     * @return how each old pod ended, highest ordinal first
     */
    List<LocalPod.Termination> rollingRestart() throws InterruptedException {
        List<LocalPod.Termination> ends = new ArrayList<>();
        for (int ordinal : new ArrayList<>(coordinators.descendingKeySet())) {
            ends.add(deleteCoordinator(ordinal));
            LocalPod pod = startCoordinator(ordinal);
            awaitReady(pod, Duration.ofMinutes(5));
        }
        return ends;
    }

    /** {@code kubectl scale statefulset --replicas 0}: every coordinator deleted the kubelet's way; claims stay. */
    void stopCoordinators() throws InterruptedException {
        for (int ordinal : new ArrayList<>(coordinators.descendingKeySet())) {
            deleteCoordinator(ordinal);
        }
    }

    /** Scaling back to the StatefulSet's replicas: every missing ordinal started on its claims. */
    void startCoordinators() {
        for (int ordinal = 0; ordinal < statefulSet.getSpec().getReplicas(); ordinal++) {
            if (!coordinators.containsKey(ordinal)) {
                startCoordinator(ordinal);
            }
        }
    }

    /** Where a coordinator's claim of a volume claim template lives (what a Job mounting the claim would see). */
    Path claim(int ordinal, String template) {
        Path claim = claims(ordinal).get(template);
        if (claim == null) {
            throw new AssertionError("the StatefulSet has no volume claim template " + template);
        }
        return claim;
    }

    LocalPod.Termination deleteCoordinator(int ordinal) throws InterruptedException {
        LocalPod pod;
        synchronized (this) {
            pod = coordinators.get(ordinal);
        }
        LocalPod.Termination end = pod.delete();
        synchronized (this) {
            coordinators.remove(ordinal);
        }
        return end;
    }

    static void awaitReady(LocalPod pod, Duration timeout) {
        try {
            await("readiness of " + pod).atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!pod.alive()) {
                            throw new AssertionError(pod + " exited; log " + pod.log());
                        }
                        return pod.ready();
                    });
        } catch (ConditionTimeoutException e) {
            String diagnosis = pod.diagnosis();
            System.err.println("PodsAsProcessesIT: " + e.getMessage() + "\n" + diagnosis);
            throw new AssertionError(e.getMessage() + "\n" + diagnosis, e);
        }
    }

    /** Runs a Job's or a hook's pod to completion; its exit code. */
    int runToCompletion(String name, PodTemplateSpec template, Duration timeout) throws InterruptedException {
        LocalPod pod = pod(name + "-" + jobsRun, POD_NET + (FIRST_JOB_HOST + jobsRun++ % 100), template, Map.of());
        return pod.start().awaitExit(timeout);
    }

    /** Runs a bare pod (the helm test pod) to completion; its exit code. */
    int runToCompletion(io.fabric8.kubernetes.api.model.Pod bare, Duration timeout) throws InterruptedException {
        PodTemplateSpec template = new PodTemplateSpec(bare.getMetadata(), bare.getSpec());
        return runToCompletion(bare.getMetadata().getName(), template, timeout);
    }

    /** The objects stored as the API server would: for the pods, and for the chart's lookups at the next upgrade. */
    private void apply(Release release) {
        FakeKubernetesApi api = FakeKubernetesApi.get();
        for (Secret secret : release.secrets()) {
            objects.apply(secret);
            api.put(network.namespace(), secret);
        }
        release.configMaps().forEach(objects::apply);
        api.put(network.namespace(), release.coordinators());
    }

    private synchronized LocalPod startCoordinator(int ordinal) {
        String podName = statefulSet.getMetadata().getName() + "-" + ordinal;
        String ip = POD_NET + (FIRST_COORDINATOR_HOST + ordinal);
        network.statefulPod(podName, statefulSet.getSpec().getServiceName(), ip);
        LocalPod pod = pod(podName, ip, statefulSet.getSpec().getTemplate(), claims(ordinal));
        coordinators.put(ordinal, pod.start());
        return pod;
    }

    private Map<String, Path> claims(int ordinal) {
        Map<String, Path> claims = new LinkedHashMap<>();
        String podName = statefulSet.getMetadata().getName() + "-" + ordinal;
        List<PersistentVolumeClaim> templates = statefulSet.getSpec().getVolumeClaimTemplates();
        for (PersistentVolumeClaim template : templates == null ? List.<PersistentVolumeClaim>of() : templates) {
            String claim = template.getMetadata().getName() + "-" + podName;
            claims.put(template.getMetadata().getName(), dir.resolve("claims").resolve(claim));
        }
        return claims;
    }

    private LocalPod pod(String podName, String ip, PodTemplateSpec template, Map<String, Path> claims) {
        ObjectMeta metadata = new ObjectMetaBuilder(template.getMetadata() == null ? new ObjectMeta() : template.getMetadata())
                .withName(podName).withNamespace(network.namespace()).build();
        PodSpec spec = template.getSpec();
        String reference = spec.getContainers().getFirst().getImage();
        LocalPod pod = new LocalPod(podName, ip, metadata, spec, images.apply(reference), objects, network,
                dir.resolve("pods").resolve(podName + "-" + podsRun++), claims);
        everyPodStarted.add(pod);
        return pod;
    }

    @Override
    public void close() throws Exception {
        if (clientService != null) {
            clientService.close();
        }
        for (LocalPod pod : everyPodStarted) {
            pod.kill();
        }
    }
}
