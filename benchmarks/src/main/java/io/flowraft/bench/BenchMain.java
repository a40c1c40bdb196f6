package io.flowraft.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The jar's entry point: JMH's own {@code Main}, except that the catch-all pattern {@value #ALL} that
 * {@code ./flowraft bench engine} always passes is dropped when the caller gave a pattern of their own. JMH
 * runs every benchmark matching any of its patterns, so without this {@code ./flowraft bench engine
 * ".*Lifecycle.*"} would still run the whole suite.
 */
public final class BenchMain {

    static final String ALL = "io.flowraft.bench.*";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(withoutRedundantCatchAll(args));
    }

    static String[] withoutRedundantCatchAll(String[] args) {
        List<String> includes;
        try {
            includes = new CommandLineOptions(args).getIncludes();
        } catch (CommandLineOptionException e) {
            return args; // JMH reports it
        }
        if (includes.size() < 2 || !includes.contains(ALL)) {
            return args;
        }
        List<String> kept = new ArrayList<>(Arrays.asList(args));
        kept.remove(ALL);
        return kept.toArray(String[]::new);
    }
}
