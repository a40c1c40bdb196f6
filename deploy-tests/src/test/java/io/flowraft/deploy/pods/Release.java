package io.flowraft.deploy.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;

/**
 * One rendering of the chart, as Helm would send it to the API server: the objects, and the hooks by the phase
 * they run in ({@code helm.sh/hook}).
 */
record Release(List<HasMetadata> objects, Map<HasMetadata, String> hookPhases) {

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).filter(o -> !hookPhases.containsKey(o)).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the release renders no " + kind.getSimpleName() + " " + name));
    }

    StatefulSet coordinators() {
        List<StatefulSet> sets = all(StatefulSet.class);
        if (sets.size() != 1) {
            throw new AssertionError("expected one StatefulSet, the coordinators; got " + sets.size());
        }
        return sets.getFirst();
    }

    Deployment workers() {
        List<Deployment> deployments = all(Deployment.class);
        if (deployments.size() != 1) {
            throw new AssertionError("expected one Deployment, the workers; got " + deployments.size());
        }
        return deployments.getFirst();
    }

    Service service(String name) {
        return one(Service.class, name);
    }

    List<Secret> secrets() {
        return all(Secret.class);
    }

    List<ConfigMap> configMaps() {
        return all(ConfigMap.class);
    }

    /** The hooks of a phase ({@code pre-upgrade}, {@code test}, ...), of one kind. */
    <T extends HasMetadata> List<T> hooks(String phase, Class<T> kind) {
        return hookPhases.entrySet().stream()
                .filter(e -> List.of(e.getValue().split(",")).contains(phase))
                .map(Map.Entry::getKey).filter(kind::isInstance).map(kind::cast).toList();
    }

    List<Job> jobHooks(String phase) {
        return hooks(phase, Job.class);
    }

    Pod testPod() {
        List<Pod> pods = hooks("test", Pod.class);
        if (pods.size() != 1) {
            throw new AssertionError("expected one helm test pod; got " + pods.size());
        }
        return pods.getFirst();
    }
}
