package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The coordinators' NetworkPolicy: SOFAJRaft's port is unauthenticated, so only coordinators reach it; the API only
 * from pods labelled as its clients. Peers are judged as the API server would for pods of this namespace.
 */
class NetworkPolicyTest {

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldAdmitOnlyCoordinatorsToTheRaftPort() {
        Rendered rendered = chart.template();
        NetworkPolicy policy = policy(rendered);
        Map<String, Map<String, String>> pods = podLabels(rendered);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(Workloads.coordinators(rendered).getSpec().getSelector().getMatchLabels());
        assertThat(admits(policy, "raft", pods.get("coordinator"))).isTrue();
        for (String other : List.of("worker", "cluster-check", "retain-peers")) {
            assertThat(admits(policy, "raft", pods.get(other))).as(other).isFalse();
        }
        assertThat(admits(policy, "raft", Map.of("flowraft.io/api-client", "true"))).isFalse();
    }

    @Test
    void shouldAdmitTheApisClientsToTheApiPortOnly() {
        Rendered rendered = chart.template();
        NetworkPolicy policy = policy(rendered);
        Map<String, Map<String, String>> pods = podLabels(rendered);

        for (String client : List.of("worker", "cluster-check", "retain-peers")) {
            assertThat(admits(policy, "http", pods.get(client))).as(client).isTrue();
            assertThat(admits(policy, "management", pods.get(client))).as(client).isFalse();
        }
        assertThat(admits(policy, "http", Map.of("app", "unlabelled"))).isFalse();
        assertThat(admits(policy, "http", Map.of("flowraft.io/api-client", "true"))).isTrue();
        assertThat(admits(policy, "management", Map.of("flowraft.io/metrics-scraper", "true"))).isTrue();
    }

    @Test
    void shouldAddThePeersGivenForTheApi() {
        NetworkPolicy policy = policy(chart.template(Map.of(
                "networkPolicy.apiFrom[0].namespaceSelector.matchLabels.team", "payments")));

        assertThat(rule(policy, "http").getFrom()).anyMatch(peer -> peer.getNamespaceSelector() != null
                && Map.of("team", "payments").equals(peer.getNamespaceSelector().getMatchLabels()));
        assertThat(rule(policy, "raft").getFrom()).noneMatch(peer -> peer.getNamespaceSelector() != null);
    }

    @Test
    void shouldRenderNoPolicyWhenTurnedOff() {
        assertThat(chart.template(ValueSets.NO_NETWORK_POLICY).all(NetworkPolicy.class)).isEmpty();
    }

    private static NetworkPolicy policy(Rendered rendered) {
        return rendered.get(NetworkPolicy.class, FULLNAME + "-coordinator");
    }

    /** The pod labels of each FlowRaft workload by component. */
    private static Map<String, Map<String, String>> podLabels(Rendered rendered) {
        Map<String, Map<String, String>> pods = new HashMap<>();
        rendered.all(StatefulSet.class).forEach(s -> put(pods, s.getSpec().getTemplate().getMetadata().getLabels()));
        rendered.all(Deployment.class).forEach(d -> put(pods, d.getSpec().getTemplate().getMetadata().getLabels()));
        rendered.all(Job.class).forEach(j -> put(pods, j.getSpec().getTemplate().getMetadata().getLabels()));
        rendered.all(Pod.class).forEach(p -> put(pods, p.getMetadata().getLabels()));
        assertThat(pods).containsKeys("coordinator", "worker", "cluster-check", "retain-peers");
        return pods;
    }

    private static void put(Map<String, Map<String, String>> pods, Map<String, String> labels) {
        pods.put(labels.get("app.kubernetes.io/component"), labels);
    }

    /** Whether a pod of this namespace with these labels may reach the named port. */
    private static boolean admits(NetworkPolicy policy, String port, Map<String, String> labels) {
        return policy.getSpec().getIngress().stream()
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> port.equals(p.getPort().getStrVal())))
                .flatMap(rule -> rule.getFrom().stream())
                .anyMatch(peer -> admits(peer, labels));
    }

    private static boolean admits(NetworkPolicyPeer peer, Map<String, String> labels) {
        if (peer.getIpBlock() != null) {
            return false;
        }
        // a namespace selector with labels picks other namespaces, as far as this test knows
        boolean namespaceOk = peer.getNamespaceSelector() == null || selectsAll(peer.getNamespaceSelector());
        boolean podOk = peer.getPodSelector() == null || selectsAll(peer.getPodSelector())
                || Workloads.selects(peer.getPodSelector().getMatchLabels(), labels);
        return namespaceOk && podOk && (peer.getPodSelector() != null || peer.getNamespaceSelector() != null);
    }

    private static boolean selectsAll(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    private static NetworkPolicyIngressRule rule(NetworkPolicy policy, String port) {
        return policy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> port.equals(p.getPort().getStrVal())))
                .findFirst().orElseThrow();
    }
}
