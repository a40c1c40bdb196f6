package io.flowraft.cli;

import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.client.FlowRaftClient;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowraft definition register|get}. */
@Command(name = "definition",
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Register and read workflow definitions (named, versioned DAGs).",
        subcommands = {DefinitionCommand.Register.class, DefinitionCommand.Get.class})
final class DefinitionCommand extends NounCommand {

    @Command(name = "register",
                exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {
                    "Register a definition from a JSON file {name, version?, tasks}.",
                    "Without a version: the next one, or the latest if its tasks are the same. Idempotent."})
    static final class Register extends ApiCommand {

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "The definition as JSON: {\"name\": ..., \"version\": ..., \"tasks\": [...]}.")
        private Path file;

        @Override
        protected int run(FlowRaftClient client) {
            RegisterDefinitionRequest request = Inputs.readFile(file, RegisterDefinitionRequest.class);
            return print(client.registerDefinition(request), Views::definition);
        }
    }

    @Command(name = "get",
                exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Show a definition: its latest version, or the one given.")
    static final class Get extends ApiCommand {

        @Parameters(paramLabel = "NAME", description = "The definition name.")
        private String name;

        @Option(names = "--version", paramLabel = "N", description = "The version (default: the latest).")
        private Integer version;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.getDefinition(name, version), Views::definition);
        }
    }
}
