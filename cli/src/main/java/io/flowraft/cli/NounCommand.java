package io.flowraft.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A noun of {@code flowraft <noun> <verb>} (definition, workflow, cluster): it only groups its verbs, so
 * running it alone is a usage error that lists them.
 */
abstract class NounCommand implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() {
        List<String> verbs = new ArrayList<>(spec.subcommands().keySet());
        String listed = verbs.size() == 1 ? verbs.getFirst()
                : String.join(", ", verbs.subList(0, verbs.size() - 1)) + " or " + verbs.getLast();
        throw new ParameterException(spec.commandLine(), "Missing verb: " + listed);
    }
}
