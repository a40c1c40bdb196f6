package io.flowraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowraft} against a coordinator that serves HTTPS with a certificate of a CA made for this test: the
 * CA comes from {@code --ca-file} or {@value FlowRaftCli#CA_FILE_ENV}; without it the handshake fails with a
 * hint, and a CA file that cannot be used is a usage error.
 */
class CliTlsTest {

    static {
        // SOFA's logback bridge does not fit logback 1.5; it must be off before any SOFA class loads.
        System.setProperty("logback.middleware.log.disable", "true");
    }

    private static InProcessCluster coordinator;
    private static String url;

    @TempDir
    Path files;

    @BeforeAll
    static void startCoordinator() {
        coordinator = new InProcessCluster(1).withTls();
        coordinator.startAll(); // @AfterAll stops what started if this fails
        url = coordinator.baseUri(0).toString();
        TaskSpec ship = new TaskSpec("ship", "shipping", List.of(), null, null, null, null, null, null);
        coordinator.client(0).registerDefinition(new RegisterDefinitionRequest("tls-shop", null, List.of(ship)));
    }

    @AfterAll
    static void stopCoordinator() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void shouldReadClusterStatusWithTheCaFileOption() {
        // when the CLI is given the CA file on its command line
        CliRun run = CliRun.run(Map.of(), "cluster", "status", "--json", "--url=" + url,
                "--ca-file=" + coordinator.tlsCaFile());

        // then it reads the cluster over HTTPS
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.json().get("leader").asString()).isEqualTo(coordinator.raftAddress(0));
    }

    @Test
    void shouldSubmitAndGetAWorkflowWithTheCaFileFromTheEnvironment() {
        // given the URL and the CA file in the environment only
        Map<String, String> environment = Map.of(FlowRaftCli.URL_ENV, url,
                FlowRaftCli.CA_FILE_ENV, coordinator.tlsCaFile().toString());

        // when a workflow is submitted and read back
        CliRun submit = CliRun.run(environment, "workflow", "submit", "--definition", "tls-shop", "--input", "{}", "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(ExitCodes.OK);
        String id = submit.json().get("id").asString();
        CliRun get = CliRun.run(environment, "workflow", "get", id, "--json");

        // then both went over HTTPS
        assertThat(get.exitCode()).as(get.toString()).isEqualTo(ExitCodes.OK);
        assertThat(get.json().get("definition").asString()).startsWith("tls-shop");
        assertThat(get.json().get("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void shouldFailTheHandshakeWithoutTheCaFileAndSayWhatToSet() {
        // when the CLI trusts only the JDK's default authorities
        CliRun run = CliRun.run(Map.of(), "cluster", "status", "--url=" + url);

        // then there is no answer, and the message names the options that fix it
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("no answer from the coordinator at " + url, "TLS handshake failed",
                "--ca-file", FlowRaftCli.CA_FILE_ENV);
    }

    @Test
    void shouldRefuseACaFileThatCannotBeUsed() throws IOException {
        Path missing = files.resolve("missing.pem");
        Path notPem = Files.writeString(files.resolve("not.pem"), "not a certificate\n");

        CliRun absent = CliRun.run(Map.of(), "cluster", "status", "--url=" + url, "--ca-file=" + missing);
        CliRun garbage = CliRun.run(Map.of(FlowRaftCli.CA_FILE_ENV, notPem.toString()), "cluster", "status", "--url=" + url);

        assertThat(absent.exitCode()).as(absent.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(absent.err()).contains("Expected --ca-file to name a PEM file of CA certificates", missing.toString());
        assertThat(garbage.exitCode()).as(garbage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbage.err()).contains("Expected " + FlowRaftCli.CA_FILE_ENV + " to name a PEM file", notPem.toString());
    }
}
