package io.flowraft.deploy.chart;

import static io.flowraft.deploy.chart.HelmChart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.flowraft.cli.FlowRaftCli;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The chart's hooks: the {@code helm test} pod (the CLI's cluster check) and the pre-upgrade Job that removes
 * the voters a scale-down drops. Their arguments are parsed by the CLI's own command line, as the image would.
 */
class HooksTest {

    private final HelmChart chart = HelmChart.flowraft();

    @Test
    void shouldCheckTheClusterEndToEndThroughTheClientServiceWithTheClientKey() {
        Rendered rendered = chart.template();
        Pod check = single(rendered.hooks("test", Pod.class));
        Container cli = Workloads.container(check.getSpec(), "cluster-check");

        assertThat(check.getMetadata().getName()).isEqualTo(FULLNAME + "-cluster-check");
        assertThat(check.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(check.getMetadata().getLabels()).containsEntry("flowraft.io/api-client", "true");
        ParseResult command = parse(cli);
        assertThat(path(command)).containsExactly("flowraft", "cluster", "check");
        assertThat(command.<String>matchedOptionValue("--url", null)).isEqualTo(clientUrl(rendered));
        ParseResult checkCommand = leaf(command);
        assertThat(checkCommand.<String>matchedOptionValue("--task-type", null)).isEqualTo("echo");
        assertThat(checkCommand.matchedOption("--timeout").stringValues()).containsExactly("3m");
        assertThat(Workloads.secretKey(cli, FlowRaftCli.API_KEY_ENV).getName()).isEqualTo(FULLNAME + "-credentials");
        assertThat(Workloads.secretKey(cli, FlowRaftCli.API_KEY_ENV).getKey()).isEqualTo("FLOWRAFT_CLIENT_KEY");
        assertThat(cli.getImage()).contains("/cli:");
    }

    @Test
    void shouldCheckWithTheTaskTypeAndTimeoutGiven() {
        Container cli = Workloads.container(single(chart.template(Map.of("tests.taskType", "http",
                "tests.timeout", "10m")).hooks("test", Pod.class)).getSpec(), "cluster-check");

        ParseResult check = leaf(parse(cli));
        assertThat(check.<String>matchedOptionValue("--task-type", null)).isEqualTo("http");
        assertThat(check.matchedOption("--timeout").stringValues()).containsExactly("10m");
    }

    @ParameterizedTest(name = "{0} coordinators")
    @ValueSource(ints = {1, 3, 5})
    void shouldRetainTheVotersOfTheNewReplicaCountBeforeAnUpgrade(int replicas) {
        Rendered rendered = chart.template(Map.of("coordinator.replicas", String.valueOf(replicas)));
        Job job = single(rendered.hooks("pre-upgrade", Job.class));
        Container cli = Workloads.container(job.getSpec().getTemplate().getSpec(), "retain-peers");
        List<String> peers = Arrays.asList(Workloads.value(
                Workloads.coordinator(rendered),
                "FLOWRAFT_RAFT_PEERS").split(","));

        assertThat(job.getMetadata().getName()).isEqualTo(FULLNAME + "-coordinator-retain-peers");
        assertThat(Rendered.hookPhases(job)).containsExactly("pre-upgrade");
        assertThat(job.getMetadata().getAnnotations().get("helm.sh/hook-delete-policy"))
                .isEqualTo("before-hook-creation,hook-succeeded");
        ParseResult command = parse(cli);
        assertThat(path(command)).containsExactly("flowraft", "cluster", "retain-peers");
        assertThat(command.<String>matchedOptionValue("--url", null)).isEqualTo(clientUrl(rendered));
        ParseResult retain = leaf(command);
        // the voters' ids are their Raft addresses: exactly the peer list the coordinators get
        assertThat(retain.matchedPositionals().getFirst().stringValues()).containsExactlyElementsOf(peers);
        assertThat(retain.matchedOption("--timeout").stringValues()).containsExactly("5m");
        assertThat(Workloads.secretKey(cli, FlowRaftCli.API_KEY_ENV).getKey()).isEqualTo("FLOWRAFT_ADMIN_KEY");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("flowraft.io/api-client", "true");
    }

    @Test
    void shouldRenderNoRetainPeersJobWhenTurnedOff() {
        assertThat(chart.template(Map.of("coordinator.scaleDownHook.enabled", "false")).all(Job.class)).isEmpty();
    }

    @Test
    void shouldRenderTheSameObjectsAsTheChartItselfButForTheHooks() {
        // VisibleHooksCopy changes only which objects count as hooks
        Rendered copy = chart.template();
        Rendered itself = Rendered.parse(chart.templateOfTheChartItself(Map.of()));

        assertThat(copy.objects().stream().filter(o -> Rendered.hookPhases(o).isEmpty())
                .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList())
                .containsExactlyInAnyOrderElementsOf(itself.names());
        assertThat(copy.objects().stream().filter(o -> !Rendered.hookPhases(o).isEmpty())
                .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList())
                .containsExactlyInAnyOrder("Pod/" + FULLNAME + "-cluster-check",
                        "Job/" + FULLNAME + "-coordinator-retain-peers");
    }

    private static String clientUrl(Rendered rendered) {
        Service client = rendered.get(Service.class, FULLNAME + "-coordinator");
        return "http://" + client.getMetadata().getName() + "." + HelmChart.NAMESPACE + ".svc.cluster.local:"
                + client.getSpec().getPorts().getFirst().getPort();
    }

    /** The container's command line as the CLI parses it (the image's entrypoint runs the CLI with these args). */
    private static ParseResult parse(Container cli) {
        assertThat(cli.getCommand()).as("the image's entrypoint runs the CLI").isNullOrEmpty();
        return new CommandLine(new FlowRaftCli(name -> null)).parseArgs(cli.getArgs().toArray(String[]::new));
    }

    private static List<String> path(ParseResult command) {
        return command.asCommandLineList().stream().map(c -> c.getCommandName()).toList();
    }

    private static ParseResult leaf(ParseResult command) {
        ParseResult leaf = command;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    private static <T> T single(List<T> objects) {
        assertThat(objects).hasSize(1);
        return objects.getFirst();
    }
}
