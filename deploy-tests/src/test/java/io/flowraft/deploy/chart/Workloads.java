package io.flowraft.deploy.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading containers and their environment out of rendered pod specs. */
final class Workloads {

    private Workloads() {
    }

    /** The coordinators' StatefulSet of a rendering. */
    static StatefulSet coordinators(Rendered rendered) {
        return rendered.get(StatefulSet.class, HelmChart.FULLNAME + "-coordinator");
    }

    /** The coordinator container of a rendering. */
    static Container coordinator(Rendered rendered) {
        return container(coordinators(rendered).getSpec().getTemplate().getSpec(), "coordinator");
    }

    /** The workers' Deployment of a rendering. */
    static Deployment workers(Rendered rendered) {
        return rendered.get(Deployment.class, HelmChart.FULLNAME + "-worker");
    }

    /** The worker container of a rendering. */
    static Container worker(Rendered rendered) {
        return container(workers(rendered).getSpec().getTemplate().getSpec(), "worker");
    }

    /** The number of the container's port of this name. */
    static int port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + name));
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> name.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in "
                        + pod.getContainers().stream().map(Container::getName).toList()));
    }

    /** The container's env in order, by name. */
    static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            env.put(var.getName(), var);
        }
        return env;
    }

    /** The variables with a literal value (not {@code valueFrom}), in order. */
    static Map<String, String> literalEnv(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        env(container).forEach((name, var) -> {
            if (var.getValueFrom() == null) {
                env.put(name, var.getValue() == null ? "" : var.getValue());
            }
        });
        return env;
    }

    /** The literal value of a variable; fails if it is absent or comes from elsewhere. */
    static String value(Container container, String name) {
        String value = literalEnv(container).get(name);
        if (value == null) {
            throw new AssertionError(container.getName() + " has no literal env " + name + "; env: "
                    + env(container).keySet());
        }
        return value;
    }

    /** The secret key a variable is read from; fails if it is not. */
    static SecretKeySelector secretKey(Container container, String name) {
        EnvVar var = env(container).get(name);
        if (var == null || var.getValueFrom() == null || var.getValueFrom().getSecretKeyRef() == null) {
            throw new AssertionError(container.getName() + " does not read " + name + " from a Secret: " + var);
        }
        return var.getValueFrom().getSecretKeyRef();
    }

    /** Whether a label selector's {@code matchLabels} picks an object with these labels. */
    static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return labels != null && matchLabels != null && !matchLabels.isEmpty()
                && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    /** Every FlowRaft pod spec of a rendering with the name of the object holding it. */
    static Map<String, PodSpec> podSpecs(Rendered rendered) {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        rendered.all(StatefulSet.class)
                .forEach(o -> pods.put("StatefulSet/" + o.getMetadata().getName(), o.getSpec().getTemplate().getSpec()));
        rendered.all(Deployment.class)
                .forEach(o -> pods.put("Deployment/" + o.getMetadata().getName(), o.getSpec().getTemplate().getSpec()));
        rendered.all(Job.class)
                .forEach(o -> pods.put("Job/" + o.getMetadata().getName(), o.getSpec().getTemplate().getSpec()));
        rendered.all(Pod.class)
                .forEach(o -> pods.put("Pod/" + o.getMetadata().getName(), o.getSpec()));
        return pods;
    }
}
