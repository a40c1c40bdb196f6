package io.flowraft.deploy.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster's network on the loopback interface: every pod and Service gets an address of its own in
 * 127.0.83.0/24 (Linux routes all of 127/8 to lo), and a hosts file plays cluster DNS. Processes read it through
 * {@code -Djdk.net.hosts.file}, so the names the chart renders (ordinal DNS names under the headless Service, the
 * client Service) resolve exactly as they would in the namespace.
 */
final class PodNetwork {

    static final String CLUSTER_DOMAIN = "cluster.local";

    private final String namespace;
    private final Path hostsFile;
    private final Map<String, String> names = new LinkedHashMap<>();

    PodNetwork(String namespace, Path hostsFile) {
        this.namespace = namespace;
        this.hostsFile = hostsFile;
        names.put("localhost", "127.0.0.1");
        write();
    }

    /** A Service's virtual address, under every name a pod of the namespace can use for it. */
    synchronized void service(String service, String ip) {
        for (String name : serviceNames(service)) {
            names.put(name, ip);
        }
        write();
    }

    /** A StatefulSet pod's stable name under its governing (headless) Service. */
    synchronized void statefulPod(String pod, String headlessService, String ip) {
        for (String name : serviceNames(headlessService)) {
            names.put(pod + "." + name, ip);
        }
        write();
    }

    String namespace() {
        return namespace;
    }

    Path hostsFile() {
        return hostsFile;
    }

    private String[] serviceNames(String service) {
        return new String[] {
                service, service + "." + namespace, service + "." + namespace + ".svc",
                service + "." + namespace + ".svc." + CLUSTER_DOMAIN};
    }

    private void write() {
        String content = names.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(hostsFile, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
