package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The credentials Secret (generated once, kept, or the operator's own) and the history database's. */
class CredentialsTest {

    private static final Set<String> CREDENTIAL_KEYS = Set.of("FLOWRAFT_ADMIN_KEY", "FLOWRAFT_CLIENT_KEY",
            "FLOWRAFT_WORKER_KEY", "FLOWRAFT_CLUSTER_SECRET", "api-keys");

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldGenerateKeysWhoseHashesTheCoordinatorsKnowWithTheirRoles() throws NoSuchAlgorithmException {
        Secret credentials = chart.template().get(Secret.class, FULLNAME + "-credentials");
        Map<String, String> keys = credentials.getStringData();

        assertThat(keys.keySet()).isEqualTo(CREDENTIAL_KEYS);
        assertThat(credentials.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(keys.get("FLOWRAFT_CLUSTER_SECRET")).hasSizeGreaterThanOrEqualTo(32); // RaftProperties requires 32
        assertThat(keys.get("api-keys").lines().toList()).containsExactly(
                "admin admin " + sha256(keys.get("FLOWRAFT_ADMIN_KEY")),
                "client client " + sha256(keys.get("FLOWRAFT_CLIENT_KEY")),
                "worker worker " + sha256(keys.get("FLOWRAFT_WORKER_KEY")));
        assertThat(Set.of(keys.get("FLOWRAFT_ADMIN_KEY"), keys.get("FLOWRAFT_CLIENT_KEY"),
                keys.get("FLOWRAFT_WORKER_KEY"), keys.get("FLOWRAFT_CLUSTER_SECRET"))).hasSize(4);
    }

    @Test
    void shouldKeepTheInstalledKeysOnUpgrade() {
        Map<String, String> installed = Map.of("FLOWRAFT_ADMIN_KEY", "fr_admin_installed",
                "FLOWRAFT_CLIENT_KEY", "fr_client_installed", "FLOWRAFT_WORKER_KEY", "fr_worker_installed",
                "FLOWRAFT_CLUSTER_SECRET", "fr_cluster_installed_0123456789012345678901", "api-keys", "admin admin x\n");
        Secret existing = new SecretBuilder().withNewMetadata().withName(FULLNAME + "-credentials")
                .withNamespace(HelmChart.NAMESPACE).endMetadata().withData(base64(installed)).build();

        Secret credentials = chart.template(Map.of(), List.of(existing)).get(Secret.class, FULLNAME + "-credentials");

        assertThat(credentials.getData()).isEqualTo(base64(installed));
        assertThat(credentials.getStringData()).isNullOrEmpty();
    }

    @Test
    void shouldReadEveryCredentialFromTheRenderedSecretByKeysItHas() {
        Rendered rendered = chart.template();
        Secret credentials = rendered.get(Secret.class, FULLNAME + "-credentials");

        List<String> references = credentialReferences(rendered, FULLNAME + "-credentials");
        assertThat(references).isNotEmpty();
        assertThat(credentials.getStringData().keySet()).containsAll(references);
    }

    @Test
    void shouldRenderNoSecretButReferToTheExistingOneWhenGiven() {
        Rendered rendered = chart.template(ValueSets.EXISTING_CREDENTIALS);

        assertThat(rendered.all(Secret.class)).isEmpty();
        assertThat(credentialReferences(rendered, FULLNAME + "-credentials")).isEmpty();
        assertThat(credentialReferences(rendered, "my-flowraft-keys"))
                .containsExactlyInAnyOrder("FLOWRAFT_CLUSTER_SECRET", "api-keys", "FLOWRAFT_WORKER_KEY",
                        "FLOWRAFT_ADMIN_KEY", "FLOWRAFT_CLIENT_KEY")
                .allMatch(CREDENTIAL_KEYS::contains);
    }

    @Test
    void shouldRunWithoutHistoryByDefault() {
        Rendered rendered = chart.template();

        assertThat(coordinatorEnv(rendered)).noneMatch(name -> name.startsWith("FLOWRAFT_HISTORY_"));
        assertThat(rendered.find(Secret.class, FULLNAME + "-history")).isEmpty();
    }

    @Test
    void shouldConnectToTheHistoryDatabaseWithCredentialsFromItsSecret() {
        Rendered rendered = chart.template(ValueSets.HISTORY);
        Container coordinator = Workloads.coordinator(rendered);
        Secret history = rendered.get(Secret.class, FULLNAME + "-history");

        assertThat(Workloads.value(coordinator, "FLOWRAFT_HISTORY_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://pg.db.svc:5432/flowraft");
        assertThat(Workloads.secretKey(coordinator, "FLOWRAFT_HISTORY_USERNAME").getName()).isEqualTo(FULLNAME + "-history");
        assertThat(Workloads.secretKey(coordinator, "FLOWRAFT_HISTORY_USERNAME").getKey()).isEqualTo("username");
        assertThat(Workloads.secretKey(coordinator, "FLOWRAFT_HISTORY_PASSWORD").getKey()).isEqualTo("password");
        assertThat(history.getStringData()).isEqualTo(Map.of("username", "flowraft", "password", "s3cret"));
    }

    @Test
    void shouldReadTheHistoryCredentialsFromTheExistingSecretWhenGiven() {
        Rendered rendered = chart.template(ValueSets.HISTORY_EXISTING_SECRET);
        Container coordinator = Workloads.coordinator(rendered);

        assertThat(rendered.find(Secret.class, FULLNAME + "-history")).isEmpty();
        assertThat(Workloads.secretKey(coordinator, "FLOWRAFT_HISTORY_USERNAME").getName()).isEqualTo("pg-credentials");
        assertThat(Workloads.secretKey(coordinator, "FLOWRAFT_HISTORY_PASSWORD").getName()).isEqualTo("pg-credentials");
    }

    /** The keys of this Secret that any pod reads, by env or by volume. */
    private static List<String> credentialReferences(Rendered rendered, String secret) {
        List<String> keys = new ArrayList<>();
        for (PodSpec pod : Workloads.podSpecs(rendered).values()) {
            for (Container container : pod.getContainers()) {
                for (EnvVar var : container.getEnv()) {
                    if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null
                            && secret.equals(var.getValueFrom().getSecretKeyRef().getName())) {
                        keys.add(var.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
            pod.getVolumes().stream().filter(v -> v.getSecret() != null && secret.equals(v.getSecret().getSecretName()))
                    .forEach(v -> v.getSecret().getItems().forEach(item -> keys.add(item.getKey())));
        }
        return keys.stream().distinct().toList();
    }

    private static List<String> coordinatorEnv(Rendered rendered) {
        return Workloads.env(Workloads.coordinator(rendered))
                .keySet().stream().toList();
    }

    private static Map<String, String> base64(Map<String, String> plain) {
        Map<String, String> encoded = new TreeMap<>();
        plain.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return encoded;
    }

    private static String sha256(String key) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
