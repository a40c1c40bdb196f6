package io.flowraft.deploy.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod of a rendered manifest, run the way a kubelet would run it but as a local process: the container's
 * command from the image's entrypoint and the rendered command/args, its environment resolved as Kubernetes
 * resolves it ({@code $(VAR)}, field, resource, Secret and ConfigMap references), its volumes as host directories
 * (a claim outlives the pod, an emptyDir, Secret or ConfigMap volume does not), its probes over HTTP, and deletion
 * as {@code preStop}, SIGTERM, the grace period, then SIGKILL.
 *
 * <p>The pod's network namespace is played by an address of its own on the loopback interface: the process is told
 * to listen there ({@code SERVER_ADDRESS}, {@code MANAGEMENT_SERVER_ADDRESS}) and resolves names through the
 * cluster's hosts file. The process runs the image's own java and class path from the extracted image, as the host
 * user.
 */
final class LocalPod {

    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)|\\$\\$");
    private static final HttpClient PROBES = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String ip;
    private final ObjectMeta metadata;
    private final PodSpec spec;
    private final Container container;
    private final PodImage image;
    private final ClusterObjects objects;
    private final PodNetwork network;
    private final Path podDir;
    private final Map<String, Path> claims;
    private final PathMap paths = new PathMap();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final AtomicInteger livenessRestarts = new AtomicInteger();
    private boolean startupPassed;
    private long lastLivenessProbe;
    private int consecutiveLivenessFailures;
    private Process process;
    private Path log;
    private volatile boolean terminating;

    /**
     * @param claims the persistent volume claims bound to this pod by name (a StatefulSet's claim template
     *               {@code data} gives {@code data-<pod>}): host directories that survive the pod
     */
    LocalPod(String name, String ip, ObjectMeta metadata, PodSpec spec, PodImage image, ClusterObjects objects,
            PodNetwork network, Path podDir, Map<String, Path> claims) {
        this.name = name;
        this.ip = ip;
        this.metadata = metadata;
        this.spec = spec;
        this.container = spec.getContainers().getFirst();
        this.image = image;
        this.objects = objects;
        this.network = network;
        this.podDir = podDir;
        this.claims = claims;
    }

    String name() {
        return name;
    }

    String ip() {
        return ip;
    }

    Container container() {
        return container;
    }

    /** The container's environment as resolved at start (empty before). */
    Map<String, String> env() {
        return Map.copyOf(env);
    }

    Path log() {
        return log;
    }

    /** Creates the volumes, resolves the environment and starts the container's process. */
    LocalPod start() {
        try {
            Files.createDirectories(podDir);
            mountVolumes();
            resolveEnvironment();
            log = podDir.resolve("container.log");
            ProcessBuilder builder = new ProcessBuilder(command())
                    .directory(paths.hostPath(workingDir()).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().clear();
            builder.environment().putAll(env);
            // The pod's own network namespace: every server socket on the pod's address, none on 0.0.0.0.
            builder.environment().put("SERVER_ADDRESS", ip);
            if (env.containsKey("MANAGEMENT_SERVER_PORT")) { // Boot refuses an address for a management port it shares
                builder.environment().put("MANAGEMENT_SERVER_ADDRESS", ip);
            }
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("pod " + name + " did not start", e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    boolean terminating() {
        return terminating;
    }

    /** Waits for a run-to-completion pod (a Job's, the helm test pod) and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("pod " + name + " did not finish within " + timeout + "; log " + log);
        }
        return process.exitValue();
    }

    /** The readiness probe as the kubelet runs it; a terminating pod is never ready (it leaves the endpoints). */
    /**
     * Why a pod may not be ready, for a failure message (CI shows little else): what its health endpoint answers
     * now, given time, and the last lines of its log that speak of Raft, joining, leaders or trouble.
     */
    String diagnosis() {
        StringBuilder out = new StringBuilder("pod ").append(name).append(" (alive ").append(alive()).append(")");
        try {
            HttpResponse<String> health = PROBES.send(HttpRequest.newBuilder(
                    URI.create("http://" + ip + ":9081/actuator/health")).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            out.append("\nhealth (management port) now: ").append(health.statusCode()).append(' ').append(health.body());
        } catch (IOException e) {
            out.append("\nhealth (management port) now: no answer within 10 s (").append(e).append(')');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null && Files.exists(log)) {
            try (var lines = Files.lines(log)) {
                List<String> telling = lines.filter(line -> line.contains("WARN") || line.contains("ERROR")
                        || line.contains("oin") || line.contains("eader") || line.contains("Started ")).toList();
                out.append("\nlast log lines of note:");
                telling.subList(Math.max(0, telling.size() - 40), telling.size())
                        .forEach(line -> out.append("\n  ").append(line.length() > 400 ? line.substring(0, 400) : line));
            } catch (IOException | java.io.UncheckedIOException e) {
                out.append("\nlog unreadable: ").append(e);
            }
        }
        return out.toString();
    }

    boolean ready() {
        return !terminating && alive() && probe(container.getReadinessProbe());
    }

    /**
     * The liveness probe as the kubelet runs it: not before the startup probe passed, at most once per
     * {@code periodSeconds}; {@code failureThreshold} failures in a row would restart the container (counted in
     * {@link #livenessRestarts()}). Called often (by the Service's endpoint refresh); answers the last result between
     * periods.
     */
    synchronized boolean live() {
        if (!alive()) {
            return false;
        }
        if (!startupPassed) {
            startupPassed = started();
            return true;
        }
        Probe probe = container.getLivenessProbe();
        long periodNanos = Duration.ofSeconds(probe == null || probe.getPeriodSeconds() == null ? 10
                : probe.getPeriodSeconds()).toNanos();
        long now = System.nanoTime();
        if (lastLivenessProbe != 0 && now - lastLivenessProbe < periodNanos) {
            return consecutiveLivenessFailures == 0;
        }
        lastLivenessProbe = now;
        boolean live = probe(probe);
        if (live || terminating) {
            consecutiveLivenessFailures = 0;
            return true;
        }
        int threshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
        if (++consecutiveLivenessFailures == threshold) {
            livenessRestarts.incrementAndGet();
        }
        return false;
    }

    boolean started() {
        return alive() && probe(container.getStartupProbe());
    }

    /** How many times the kubelet would have restarted this container for its liveness probe. */
    int livenessRestarts() {
        return livenessRestarts.get();
    }

    /**
     * Deletes the pod as the kubelet does: out of the Service's endpoints, the {@code preStop} hook, SIGTERM, and
     * SIGKILL if the process outlives the grace period (counted from the start of the deletion).
     *
     * @return how the process ended
     */
    Termination delete() throws InterruptedException {
        terminating = true;
        long graceMillis = (spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds())
                * 1000L;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        int preStopStatus = -1;
        if (container.getLifecycle() != null && container.getLifecycle().getPreStop() != null) {
            HTTPGetAction hook = container.getLifecycle().getPreStop().getHttpGet();
            if (hook == null) {
                throw new AssertionError("pod " + name + ": only httpGet preStop hooks can run (the images have no shell)");
            }
            preStopStatus = httpGet(hook, Duration.ofMillis(graceMillis));
        }
        process.destroy();
        long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        boolean exited = process.waitFor(left, TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        return new Termination(preStopStatus, exited, process.exitValue());
    }

    /** Kills the process at once, as a node failure would. */
    void kill() throws InterruptedException {
        terminating = true;
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * @param preStopStatus the preStop hook's HTTP status, -1 if there was none or it did not answer
     * @param exitedInGrace whether the process ended on SIGTERM within the grace period
     * @param exitCode      the exit code (137 after SIGKILL)
     */
    record Termination(int preStopStatus, boolean exitedInGrace, int exitCode) {
    }

    // --- the container's command ----------------------------------------------------------------------------

    private List<String> command() throws IOException {
        List<String> command = new ArrayList<>();
        List<String> args;
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            command.addAll(container.getCommand());
            args = container.getArgs() == null ? List.of() : container.getArgs();
        } else {
            command.addAll(image.entrypoint());
            args = container.getArgs() != null && !container.getArgs().isEmpty() ? container.getArgs() : image.cmd();
        }
        for (String arg : args) {
            command.add(expand(arg, env));
        }
        if (command.isEmpty()) {
            throw new AssertionError("pod " + name + " has no command: neither the image nor the container names one");
        }
        String program = command.getFirst();
        if (!program.startsWith("/") || !program.endsWith("/bin/java")) {
            throw new AssertionError("pod " + name + " runs " + program + ": only the image's own java can run here");
        }
        List<String> host = new ArrayList<>();
        host.add(paths.map(program));
        host.addAll(jvmOfThePod());
        for (String arg : command.subList(1, command.size())) {
            host.add(arg.startsWith("@") ? "@" + mappedArgumentFile(arg.substring(1)) : paths.map(arg));
        }
        return host;
    }

    /**
     * What the pod's cgroup and DNS would give the JVM: the memory and CPU limits (the JVM sizes its heap from the
     * limit, with the chart's MaxRAMPercentage), and the cluster's names.
     */
    private List<String> jvmOfThePod() {
        List<String> flags = new ArrayList<>();
        flags.add("-Djdk.net.hosts.file=" + network.hostsFile());
        Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
        if (limits != null && limits.get("memory") != null) {
            flags.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limits.get("memory")).toBigInteger());
        }
        if (limits != null && limits.get("cpu") != null) {
            BigDecimal cpus = Quantity.getAmountInBytes(limits.get("cpu")).setScale(0, RoundingMode.CEILING);
            flags.add("-XX:ActiveProcessorCount=" + Math.max(1, cpus.intValue()));
        }
        return flags;
    }

    private Path mappedArgumentFile(String containerPath) throws IOException {
        String content = Files.readString(paths.hostPath(containerPath));
        Path mapped = podDir.resolve("argfile-" + Path.of(containerPath).getFileName());
        Files.writeString(mapped, paths.map(content));
        return mapped;
    }

    private String workingDir() {
        if (container.getWorkingDir() != null && !container.getWorkingDir().isBlank()) {
            return container.getWorkingDir();
        }
        return image.workingDir() == null || image.workingDir().isBlank() ? "/" : image.workingDir();
    }

    // --- volumes ---------------------------------------------------------------------------------------------

    private void mountVolumes() throws IOException {
        // The image's own directories first; mounts over them win by being longer or later (PathMap's rule).
        try (var top = Files.list(image.root())) {
            for (Path dir : top.filter(Files::isDirectory).toList()) {
                paths.mount("/" + dir.getFileName(), dir);
            }
        }
        Map<String, Volume> volumes = new LinkedHashMap<>();
        if (spec.getVolumes() != null) {
            spec.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        }
        List<VolumeMount> mounts = container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
        for (VolumeMount mount : mounts) {
            Path host = volumeDirectory(mount.getName(), volumes.get(mount.getName()));
            if (mount.getSubPath() != null && !mount.getSubPath().isBlank()) {
                host = host.resolve(mount.getSubPath());
            }
            paths.mount(mount.getMountPath(), host);
        }
    }

    private Path volumeDirectory(String volumeName, Volume volume) throws IOException {
        Path claim = claims.get(volumeName);
        if (claim != null) {
            Files.createDirectories(claim);
            return claim;
        }
        if (volume == null) {
            throw new AssertionError("pod " + name + " mounts volume " + volumeName + " that neither the pod nor a claim "
                    + "template defines");
        }
        Path dir = podDir.resolve("volumes").resolve(volumeName);
        deleteTree(dir);
        Files.createDirectories(dir);
        if (volume.getEmptyDir() != null) {
            return dir;
        }
        if (volume.getSecret() != null) {
            writeKeys(dir, objects.secret(volume.getSecret().getSecretName()), volume.getSecret().getItems());
            return dir;
        }
        if (volume.getConfigMap() != null) {
            writeKeys(dir, objects.configMap(volume.getConfigMap().getName()), volume.getConfigMap().getItems());
            return dir;
        }
        throw new AssertionError("pod " + name + ": volume " + volumeName + " is of a kind this runner does not play");
    }

    private static void writeKeys(Path dir, Map<String, byte[]> data, List<KeyToPath> items) throws IOException {
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                throw new AssertionError("volume item " + item.getKey() + " is not in its Secret/ConfigMap");
            }
            Path target = dir.resolve(item.getPath());
            Files.createDirectories(target.getParent());
            Files.write(target, value);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // --- environment -----------------------------------------------------------------------------------------

    private void resolveEnvironment() {
        env.clear();
        env.putAll(image.env());
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                Map<String, byte[]> data = from.getSecretRef() != null
                        ? objects.secret(from.getSecretRef().getName())
                        : objects.configMap(from.getConfigMapRef().getName());
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                data.forEach((k, v) -> env.put(prefix + k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        // Only the container's own variables may refer to earlier ones; image variables are not expanded.
        Map<String, String> defined = new LinkedHashMap<>(env);
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                String value = var.getValueFrom() != null ? valueFrom(var.getName(), var.getValueFrom())
                        : expand(var.getValue() == null ? "" : var.getValue(), defined);
                defined.put(var.getName(), value);
                env.put(var.getName(), value);
            }
        }
        env.replaceAll((k, v) -> paths.map(v));
    }

    private String valueFrom(String var, EnvVarSource source) {
        if (source.getFieldRef() != null) {
            String field = source.getFieldRef().getFieldPath();
            return switch (field) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> network.namespace();
                case "status.podIP" -> ip;
                case "spec.nodeName" -> "local-node";
                case "spec.serviceAccountName" -> spec.getServiceAccountName() == null ? "default" : spec.getServiceAccountName();
                default -> {
                    Matcher label = Pattern.compile("metadata\\.labels\\['(.+)']").matcher(field);
                    if (label.matches() && metadata.getLabels() != null) {
                        yield metadata.getLabels().getOrDefault(label.group(1), "");
                    }
                    throw new AssertionError("env " + var + ": fieldRef " + field + " is not played here");
                }
            };
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            if (Boolean.TRUE.equals(ref.getOptional()) && !objects.hasSecret(ref.getName())) {
                return null;
            }
            return objects.secretText(ref.getName(), ref.getKey());
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            byte[] value = objects.configMap(ref.getName()).get(ref.getKey());
            if (value == null) {
                throw new AssertionError("env " + var + ": ConfigMap " + ref.getName() + " has no key " + ref.getKey());
            }
            return new String(value, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (source.getResourceFieldRef() != null) {
            var ref = source.getResourceFieldRef();
            String[] parts = ref.getResource().split("\\.", 2);
            Map<String, Quantity> side = "limits".equals(parts[0]) ? container.getResources().getLimits()
                    : container.getResources().getRequests();
            Quantity quantity = side == null ? null : side.get(parts[1]);
            if (quantity == null) {
                throw new AssertionError("env " + var + ": resource " + ref.getResource() + " is not set");
            }
            BigDecimal amount = Quantity.getAmountInBytes(quantity);
            BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
            return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
        }
        throw new AssertionError("env " + var + ": a valueFrom this runner does not play");
    }

    /** Kubernetes' {@code $(VAR)} expansion: defined names are replaced, others stay as written, {@code $$} is {@code $}. */
    static String expand(String value, Map<String, String> defined) {
        Matcher m = VAR_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else {
                replacement = defined.containsKey(m.group(1)) ? defined.get(m.group(1)) : m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    // --- probes ----------------------------------------------------------------------------------------------

    private boolean probe(Probe probe) {
        if (probe == null) {
            return true;
        }
        if (probe.getHttpGet() != null) {
            int status = httpGet(probe.getHttpGet(), Duration.ofSeconds(
                    probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds()));
            return status >= 200 && status < 400;
        }
        if (probe.getTcpSocket() != null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(ip, port(probe.getTcpSocket().getPort())), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        throw new AssertionError("pod " + name + ": only httpGet and tcpSocket probes can run (the images have no shell)");
    }

    /** Sends an httpGet action to the pod; the status, or -1 when nothing answered. */
    int httpGet(HTTPGetAction action, Duration timeout) {
        String scheme = action.getScheme() == null ? "http" : action.getScheme().toLowerCase();
        String host = action.getHost() == null || action.getHost().isBlank() ? ip : action.getHost();
        URI uri = URI.create(scheme + "://" + host + ":" + port(action.getPort())
                + (action.getPath() == null ? "/" : action.getPath()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (action.getHttpHeaders() != null) {
            action.getHttpHeaders().forEach(h -> request.header(h.getName(), h.getValue()));
        }
        try {
            return PROBES.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    int port(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        for (ContainerPort declared : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
            if (port.getStrVal().equals(declared.getName())) {
                return declared.getContainerPort();
            }
        }
        throw new AssertionError("pod " + name + ": port " + port.getStrVal() + " is not a named port of the container");
    }

    @Override
    public String toString() {
        return "pod " + name + " (" + ip + ", " + image.reference() + ")";
    }
}
