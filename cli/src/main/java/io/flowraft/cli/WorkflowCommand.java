package io.flowraft.cli;

import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.WorkflowListQuery;
import io.flowraft.contracts.json.FlowRaftJson;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code flowraft workflow submit|get|list|stuck|cancel|history}. */
@Command(name = "workflow",
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Start, inspect and cancel workflows.",
        subcommands = {WorkflowCommand.Submit.class, WorkflowCommand.Get.class, WorkflowCommand.ListWorkflows.class,
                WorkflowCommand.Stuck.class, WorkflowCommand.Cancel.class, WorkflowCommand.History.class})
final class WorkflowCommand extends NounCommand {

    @Command(name = "submit",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {
                    "Start a workflow from a registered definition or from an inline DAG.",
                    "With --idempotency-key the submit is safe to repeat: the same key answers the same workflow."})
    static final class Submit extends ApiCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Source source;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        private Input input;

        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "Makes the submit safe to retry (1-128 printable ASCII characters).")
        private String idempotencyKey;

        static final class Source {
            @Option(names = "--definition", paramLabel = "NAME[@V]", required = true,
                    description = "A registered definition: its latest version, or version V.")
            private String definition;

            @Option(names = {"-f", "--file"}, paramLabel = "DAG.json", required = true,
                    description = "An inline DAG: a JSON array of tasks, or an object with a \"tasks\" array "
                            + "(a definition file will do).")
            private Path file;
        }

        static final class Input {
            @Option(names = "--input", paramLabel = "JSON", required = true, description = "The workflow input as JSON.")
            private String json;

            @Option(names = "--input-file", paramLabel = "FILE", required = true,
                    description = "A file holding the workflow input as JSON.")
            private Path file;
        }

        @Override
        protected int run(FlowRaftClient client) {
            List<TaskSpec> tasks = source.file == null ? null : readDag(source.file);
            JsonNode workflowInput = input == null ? null
                    : input.file != null ? Inputs.readTree(input.file) : Inputs.parse("--input", input.json);
            SubmitWorkflowRequest request = new SubmitWorkflowRequest(source.definition, tasks, workflowInput, null);
            return print(client.submitWorkflow(request, idempotencyKey), Views::workflow);
        }

        /** Reads the tasks of {@code file}; errors name the field as the server would ({@code tasks[0].id}). */
        private static List<TaskSpec> readDag(Path file) {
            JsonNode dag = Inputs.readTree(file);
            if (dag.isArray()) {
                ObjectNode wrapped = FlowRaftJson.mapper().createObjectNode();
                wrapped.set("tasks", dag);
                dag = wrapped;
            }
            if (!dag.isObject() || !dag.path("tasks").isArray()) {
                throw new InputException(file + " is not a DAG: expected a JSON array of tasks or an object with a "
                        + "\"tasks\" array");
            }
            return Inputs.convert(file, dag, InlineDag.class).tasks();
        }
    }

    /** The tasks of an inline DAG file; other members (a definition's name and version) are ignored. */
    record InlineDag(List<TaskSpec> tasks) {
    }

    @Command(name = "get", exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"Show a workflow and each of its tasks.",
                    "With --wait, a running workflow is shown when it ends or when the wait is over, whichever comes "
                            + "first: its Status tells which."})
    static final class Get extends ApiCommand {

        /** The server holds a wait for at most this long ({@code waitMs} 0 to 60000). */
        static final Duration MAX_WAIT = Duration.ofSeconds(60);

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        private String id;

        @Option(names = "--wait", paramLabel = "DURATION", converter = WaitConverter.class,
                description = "Wait up to DURATION for the workflow to end: 500ms, 30s or 1m; at most 60s.")
        private Duration wait;

        @Override
        protected int run(FlowRaftClient client) {
            return print(wait == null ? client.getWorkflow(id) : client.awaitWorkflow(id, wait), Views::workflow);
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 1m}: a wait the server accepts (0 to 60 s). */
    static final class WaitConverter implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            Duration wait = new DurationConverter().convert(value);
            if (wait.isNegative() || wait.compareTo(Get.MAX_WAIT) > 0) {
                throw new TypeConversionException("must be at most 60s, but found '" + value + "'");
            }
            return wait;
        }
    }

    @Command(name = "list", exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"List workflows in id order, one page at a time.",
                    "A filtered page may be short, even empty, and still have a next cursor: page until there is none."})
    static final class ListWorkflows extends ApiCommand {

        @Option(names = "--status", paramLabel = "STATUS", converter = StatusConverter.class,
                description = "Only this status: RUNNING, COMPLETED, FAILED or CANCELLED (any case).")
        private WorkflowStatus status;

        @Option(names = "--definition", paramLabel = "NAME[@V]", description = "Only workflows of this definition.")
        private String definition;

        @Option(names = "--created-from", paramLabel = "INSTANT",
                description = "Only workflows created at or after this instant, e.g. 2026-12-01T00:00:00Z.")
        private Instant createdFrom;

        @Option(names = "--created-to", paramLabel = "INSTANT", description = "Only workflows created before this instant.")
        private Instant createdTo;

        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Only the workflow this key started.")
        private String idempotencyKey;

        @Mixin
        private Page page;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.listWorkflows(new WorkflowListQuery(status, definition, createdFrom, createdTo,
                    idempotencyKey, page.limit, page.cursor)), Views::page);
        }
    }

    @Command(name = "stuck", exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"List running workflows that make no progress, one line per reason: no-worker-polling, "
                    + "concurrency-limit, rate-limit, lease-expiring-repeatedly or retry-waiting (docs/API.md).",
                    "A page may be short, even empty, and still have a next cursor: page until there is none."})
    static final class Stuck extends ApiCommand {

        @Option(names = "--definition", paramLabel = "NAME[@V]", description = "Only workflows of this definition.")
        private String definition;

        @Mixin
        private Page page;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.listStuckWorkflows(new WorkflowListQuery(null, definition, null, null, null, page.limit,
                    page.cursor)), Views::stuck);
        }
    }

    /** The page options of the list verbs. */
    static final class Page {

        @Option(names = "--limit", paramLabel = "N", description = "At most N workflows (1-500; server default 50).")
        private Integer limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "The next-page cursor of the previous page.")
        private String cursor;
    }

    @Command(name = "cancel", exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"Cancel a running workflow: unfinished tasks are cancelled and their leases revoked.",
                    "Cancelling again does nothing; a completed or failed workflow cannot be cancelled."})
    static final class Cancel extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        private String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept in the workflow history.")
        private String reason;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.cancel(id, reason), Views::workflow);
        }
    }

    @Command(name = "history", exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Show a workflow's committed transitions in log order.")
    static final class History extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        private String id;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.history(id), Views::history);
        }
    }

    /** Reads a workflow status in any case: {@code running} is {@code RUNNING}. */
    static final class StatusConverter implements ITypeConverter<WorkflowStatus> {
        @Override
        public WorkflowStatus convert(String value) {
            try {
                return WorkflowStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected one of " + List.of(WorkflowStatus.values())
                        + " (any case), but found '" + value + "'");
            }
        }
    }
}
