package io.flowraft.cli;

import io.flowraft.contracts.Problem;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLHandshakeException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A verb that calls the API: runs {@link #run}, prints its answer as a table or as JSON, and turns every failure
 * into a message on stderr and an exit code ({@link ExitCodes}), with a stack trace only under {@code --verbose}.
 */
abstract class ApiCommand implements Callable<Integer> {

    /**
     * The contract's mapping, indented the way {@code jq} prints ({@code "id": ...}, two spaces, one element per line,
     * {@code \n} on every platform), so {@code --json} output is stable and diffs well.
     */
    private static final JsonMapper PRETTY = FlowRaftJson.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .defaultPrettyPrinter(prettyPrinter())
            .build();

    @Mixin
    private HelpOption help;

    @Spec
    CommandSpec spec;

    /** Calls the API and prints the answer with {@link #print}; returns the exit code. */
    protected abstract int run(FlowRaftClient client);

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    @Override
    public final Integer call() {
        FlowRaftCli cli = cli();
        URI uri = cli.baseUri();
        try {
            return run(cli.client());
        } catch (ParameterException e) {
            throw e; // picocli prints it with the usage and exits with ExitCodes.USAGE
        } catch (InputException e) {
            err().println("Error: " + e.getMessage());
            trace(e);
            return ExitCodes.REJECTED;
        } catch (FlowRaftProblemException e) {
            printProblem(e.status(), e.problem(), uri);
            if (e.status() == 401) {
                err().println("  Pass an API key with --api-key or " + FlowRaftCli.API_KEY_ENV
                        + " (./flowraft up writes them to <dir>/credentials.env).");
            }
            trace(e);
            return ExitCodes.forStatus(e.status());
        } catch (UncheckedIOException e) {
            err().println("Error: no answer from the coordinator at " + uri + ": " + describe(e));
            if (causedBy(e, SSLHandshakeException.class)) {
                err().println("  The TLS handshake failed. If a private CA signed its certificate, set --ca-file or "
                        + FlowRaftCli.CA_FILE_ENV + " to that CA's PEM file.");
            } else {
                err().println("  Is it running? Set --url or " + FlowRaftCli.URL_ENV + " to a coordinator's HTTP address.");
            }
            trace(e);
            return ExitCodes.UNAVAILABLE;
        } catch (RuntimeException e) {
            err().println("Error: unexpected answer from " + uri + ": " + e.getMessage());
            err().println("  Is " + uri + " a FlowRaft coordinator? Rerun with --verbose for the stack trace.");
            trace(e);
            return ExitCodes.UNAVAILABLE;
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Prints {@code answer} as JSON under {@code --json}, else with {@code human}; returns {@link ExitCodes#OK}. */
    protected final <T> int print(T answer, BiConsumer<PrintWriter, T> human) {
        if (cli().json()) {
            out().println(PRETTY.writeValueAsString(answer));
        } else {
            human.accept(out(), answer);
        }
        return ExitCodes.OK;
    }

    protected final boolean json() {
        return cli().json();
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private FlowRaftCli cli() {
        return (FlowRaftCli) spec.root().userObject();
    }

    private void printProblem(int status, Problem problem, URI uri) {
        PrintWriter err = err();
        if (problem == null) {
            err.println("Error: HTTP " + status + " from " + uri + " without problem details.");
            err.println("  Is " + uri + " a FlowRaft coordinator?");
            return;
        }
        String title = problem.title() == null ? "HTTP " + status : problem.title();
        String type = problem.type() == null || "about:blank".equals(problem.type().toString())
                ? "" : ", " + problem.type().toString().replace(ProblemType.BASE, "");
        err.println("Error: " + title + " (HTTP " + status + type + ")");
        if (problem.detail() != null) {
            err.println("  " + problem.detail());
        }
        if (problem.field() != null) {
            err.println("  field: " + problem.field());
        }
        if (problem.leader() != null) {
            err.println("  leader: " + problem.leader());
        }
        if (problem.retryAfterSeconds() != null) {
            err.println("  retry after: " + problem.retryAfterSeconds() + "s");
        }
        if (problem.knownType().filter(ProblemType.OUTCOME_UNKNOWN::equals).isPresent()) {
            err.println("  The write may or may not have committed: repeat it with the same --idempotency-key.");
        }
    }

    private void trace(Exception e) {
        if (cli().verbose()) {
            e.printStackTrace(err());
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong on the wire, in words: the JDK's exceptions often carry no message at all. */
    static String describe(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connecting timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "the request timed out";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !(t instanceof UncheckedIOException)) {
                message = t.getMessage();
            }
        }
        return message != null ? message : failure.getClass().getSimpleName();
    }
}
