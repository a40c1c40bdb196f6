package io.flowraft.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} for the nouns and verbs. Not picocli's standard help mixin: that also brings {@code --version},
 * which {@code definition get} needs for the definition version.
 */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;
}
