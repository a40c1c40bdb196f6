package io.flowraft.cli;

import io.flowraft.contracts.json.FlowRaftJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Runs the CLI in this JVM, with its own environment, and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FlowRaftCli(environment::get));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Standard output as JSON; fails if it is not exactly one JSON value. */
    JsonNode json() {
        return FlowRaftJson.mapper().readTree(out);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
