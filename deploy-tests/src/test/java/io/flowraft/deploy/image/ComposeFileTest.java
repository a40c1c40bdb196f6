package io.flowraft.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * compose.yaml agrees with the images it runs: the image names and version, the ports the services listen on (their
 * environment) are the ones the images expose, the Raft peers are the coordinators, the data volume is the image's.
 */
class ComposeFileTest {

    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        Path compose = Path.of(System.getProperty("flowraft.repo.root", "..")).resolve("compose.yaml");
        try (Reader in = Files.newBufferedReader(compose)) {
            services = (Map<String, Object>) new Yaml().<Map<String, Object>>load(in).get("services");
        }
    }

    @Test
    void shouldRunThreeCoordinatorsAndTwoWorkersFromTheImagesOfThisVersion() {
        assertThat(services).containsKeys("coordinator-1", "coordinator-2", "coordinator-3", "worker-1", "worker-2",
                "cli");
        for (String service : services.keySet()) {
            String image = service.replaceAll("-\\d+$", "");
            assertThat(string(service, "image")).as(service)
                    .isEqualTo("ghcr.io/flowraft/" + image + ":${FLOWRAFT_VERSION:-" + BuiltImages.version() + "}");
        }
    }

    @Test
    void shouldListenOnThePortsTheCoordinatorImageExposes() {
        ImageConfig image = config("coordinator");
        for (int i = 1; i <= 3; i++) {
            String service = "coordinator-" + i;
            Map<String, String> env = env(service);

            assertThat(image.exposedPorts()).as(service).contains(env.get("SERVER_PORT") + "/tcp",
                    env.get("MANAGEMENT_SERVER_PORT") + "/tcp", port(env.get("FLOWRAFT_RAFT_ADDRESS")) + "/tcp");
            assertThat(env.get("FLOWRAFT_RAFT_ADDRESS")).isEqualTo(service + ":" + port(env.get("FLOWRAFT_RAFT_ADDRESS")));
            for (String published : list(service, "ports")) {
                assertThat(image.exposedPorts()).as(published).contains(port(published) + "/tcp");
            }
            assertThat(env).doesNotContainKey("FLOWRAFT_RAFT_DATA_DIR"); // the image's, inside the volume
            assertThat(list(service, "volumes")).as(service)
                    .contains(service + ":" + image.volumes().iterator().next());
        }
    }

    @Test
    void shouldMakeEveryCoordinatorAPeerOfEveryOther() {
        List<String> addresses = IntStream.rangeClosed(1, 3)
                .mapToObj(i -> env("coordinator-" + i).get("FLOWRAFT_RAFT_ADDRESS")).toList();
        for (int i = 1; i <= 3; i++) {
            assertThat(Arrays.asList(env("coordinator-" + i).get("FLOWRAFT_RAFT_PEERS").split(",")))
                    .containsExactlyElementsOf(addresses);
        }
    }

    @Test
    void shouldPointTheWorkersAtTheCoordinatorsApiOnThePortTheWorkerImageExposes() {
        ImageConfig image = config("worker");
        String api = env("coordinator-1").get("SERVER_PORT");
        for (String worker : List.of("worker-1", "worker-2")) {
            Map<String, String> env = env(worker);

            assertThat(image.exposedPorts()).contains(env.get("SERVER_PORT") + "/tcp");
            assertThat(Arrays.asList(env.get("FLOWRAFT_WORKER_COORDINATORS").split(","))).containsExactly(
                    "http://coordinator-1:" + api, "http://coordinator-2:" + api, "http://coordinator-3:" + api);
            assertThat(env).containsKeys("FLOWRAFT_WORKER_KEY", "FLOWRAFT_WORKER_SHUTDOWN_GRACE");
        }
        assertThat(env("cli").get("FLOWRAFT_URL")).isEqualTo("http://coordinator-1:" + api);
    }

    private static ImageConfig config(String image) {
        try (ImageTar tar = ImageTar.open(BuiltImages.tar(image))) {
            return tar.config();
        }
    }

    /** The port of "host:port" or of a compose mapping "ip:hostPort:containerPort" (the container's). */
    private static String port(String address) {
        return address.substring(address.lastIndexOf(':') + 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    private static String string(String service, String key) {
        return String.valueOf(service(service).get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(String service, String key) {
        return (List<String>) service(service).get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Map<String, Object> env = (Map<String, Object>) service(service).get("environment");
        return env.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> String.valueOf(e.getValue())));
    }
}
