package io.flowraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself, no coordinator needed: where the URL comes from, usage errors, help. */
class CommandLineTest {

    private static String resolvedUrl(Map<String, String> environment, String... args) {
        FlowRaftCli cli = new FlowRaftCli(environment::get);
        new CommandLine(cli).parseArgs(args);
        return cli.baseUri().toString();
    }

    @Test
    void shouldPreferUrlOptionThenEnvironmentThenDefault() {
        assertThat(resolvedUrl(Map.of())).isEqualTo(FlowRaftCli.DEFAULT_URL).isEqualTo("http://127.0.0.1:8081");
        assertThat(resolvedUrl(Map.of(FlowRaftCli.URL_ENV, "http://env:9000"))).isEqualTo("http://env:9000");
        assertThat(resolvedUrl(Map.of(FlowRaftCli.URL_ENV, "  "))).isEqualTo(FlowRaftCli.DEFAULT_URL);
        assertThat(resolvedUrl(Map.of(FlowRaftCli.URL_ENV, "http://env:9000"), "--url", "https://opt:443"))
                .isEqualTo("https://opt:443");
    }

    @Test
    void shouldRejectAMalformedUrlAsAUsageError() {
        // when
        CliRun option = CliRun.run(Map.of(), "cluster", "status", "--url", "localhost:8081");
        CliRun environment = CliRun.run(Map.of(FlowRaftCli.URL_ENV, "ftp://x"), "cluster", "status");

        // then
        assertThat(option.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err()).startsWith("Expected --url to be an http(s) URL such as http://127.0.0.1:8081, "
                + "but found 'localhost:8081'\n");
        assertThat(environment.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(environment.err()).startsWith("Expected FLOWRAFT_URL to be an http(s) URL");
    }

    @Test
    void shouldTreatAWrongCommandLineAsAUsageError() {
        assertThat(CliRun.run(Map.of()).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "workflow").err()).startsWith("Missing verb: submit, get, list, stuck, cancel or history\n");
        assertThat(CliRun.run(Map.of(), "workflow", "launch").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "workflow", "get").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "workflow", "submit").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "workflow", "submit", "--definition", "a", "-f", "dag.json").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "workflow", "submit", "--definition", "a", "--input", "{}", "--input-file", "x")
                .exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun badStatus = CliRun.run(Map.of(), "workflow", "list", "--status", "done");
        assertThat(badStatus.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStatus.err()).contains("expected one of [RUNNING, COMPLETED, FAILED, CANCELLED] (any case), "
                + "but found 'done'");
        assertThat(CliRun.run(Map.of(), "definition", "get", "x", "--version", "one").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun tooLong = CliRun.run(Map.of(), "workflow", "get", "x", "--wait", "2m");
        assertThat(tooLong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooLong.err()).contains("--wait").contains("must be at most 60s, but found '2m'");
        CliRun unreadable = CliRun.run(Map.of(), "workflow", "get", "x", "--wait", "soon");
        assertThat(unreadable.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unreadable.err()).contains("expected a duration such as 500ms, 30s, 5m, 2h, 7d or PT1H, but found 'soon'");
        assertThat(CliRun.run(Map.of(), "workflow", "list", "--created-from", "yesterday").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "cluster", "limits", "--finished-retention", "a while").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldPrintHelpAndVersionWithExitCodeZero() {
        CliRun help = CliRun.run(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: flowraft", "definition", "workflow", "cluster", "FLOWRAFT_URL",
                "Exit codes:");
        CliRun verbHelp = CliRun.run(Map.of(), "definition", "get", "--help");
        assertThat(verbHelp.exitCode()).isZero();
        assertThat(verbHelp.out()).contains("Usage: flowraft definition get", "--version=N", "--url=URL", "--json");
        assertThat(CliRun.run(Map.of(), "--version").out()).startsWith("flowraft ");
    }
}
