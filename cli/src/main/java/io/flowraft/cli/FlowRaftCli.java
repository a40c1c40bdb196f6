package io.flowraft.cli;

import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code flowraft <noun> <verb>}: the command line of a FlowRaft cluster, over the REST API of any coordinator.
 * A plain {@code main} on picocli and the contract's HTTP client; no Spring, so it starts in a blink.
 *
 * <p>The global options ({@code --url}, {@code --json}, {@code --verbose}) are inherited: they may be written
 * before or after the noun and verb. The URL comes from {@code --url}, else the environment variable
 * {@value #URL_ENV}, else {@value #DEFAULT_URL}. The environment is a constructor argument so tests can give
 * their own.
 *
 * <p>An {@code https} coordinator whose certificate a private CA signed is trusted through {@code --ca-file}, else
 * {@value #CA_FILE_ENV}: a PEM file of the CAs to trust instead of the JDK's defaults.
 */
@Command(name = "flowraft",
        mixinStandardHelpOptions = true,
        versionProvider = FlowRaftCli.Version.class,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Talk to a FlowRaft cluster: register definitions, start and inspect workflows, check health.",
        subcommands = {DefinitionCommand.class, WorkflowCommand.class, ClusterCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (cluster status: a leader is known)",
                "1:the request was refused (4xx), or an input file or JSON argument is invalid",
                "2:the coordinator failed (5xx) or could not be reached; may succeed later",
                "3:cluster status: the coordinator knows no leader",
                "64:wrong command line (see --help)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  " + FlowRaftCli.URL_ENV + "      the coordinator's URL when --url is not given",
                "  " + FlowRaftCli.API_KEY_ENV + "  the API key (or JWT) when --api-key is not given;"
                        + " ./flowraft up writes keys to <dir>/credentials.env",
                "  " + FlowRaftCli.CA_FILE_ENV + "  the CA file to trust when --ca-file is not given"})
public final class FlowRaftCli implements Callable<Integer> {

    /** The environment variable naming the coordinator to talk to. */
    public static final String URL_ENV = "FLOWRAFT_URL";

    /** The environment variable holding the API key (or a JWT) sent as a bearer token. */
    public static final String API_KEY_ENV = "FLOWRAFT_API_KEY";

    /** The environment variable naming a PEM file of the certificate authorities to trust for https. */
    public static final String CA_FILE_ENV = "FLOWRAFT_CA_FILE";

    /** The coordinator URL when neither {@code --url} nor {@value #URL_ENV} says one. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8081";

    /** How long one request may take; the server answers 504 outcome-unknown itself after 30 s by default. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(35);

    private final Function<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Any coordinator's HTTP address. Default: $" + URL_ENV + ", else " + DEFAULT_URL + ".")
    private String url;

    @Option(names = "--api-key", paramLabel = "KEY", scope = ScopeType.INHERIT,
            description = "The API key or JWT to send as 'Authorization: Bearer'. Default: $" + API_KEY_ENV + ".")
    private String apiKey;

    @Option(names = "--ca-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM file of the certificate authorities to trust for an https URL, instead of the JDK's"
                    + " defaults. Default: $" + CA_FILE_ENV + ".")
    private String caFile;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the response as JSON instead of a table.")
    private boolean json;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "On errors, print the stack trace too.")
    private boolean verbose;

    /** Reads the process environment. */
    public FlowRaftCli() {
        this(System::getenv);
    }

    /** @param environment looks up environment variables; returns {@code null} for an unset one */
    public FlowRaftCli(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlowRaftCli()).execute(args));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: one of definition, workflow, cluster");
    }

    boolean json() {
        return json;
    }

    boolean verbose() {
        return verbose;
    }

    /**
     * The coordinator's base URL: {@code --url}, else {@value #URL_ENV}, else {@value #DEFAULT_URL}.
     *
     * @throws ParameterException if it is not an absolute http(s) URL with a host (a usage error)
     */
    URI baseUri() {
        String source = "--url";
        String value = url;
        if (value == null || value.isBlank()) {
            source = URL_ENV;
            value = environment.apply(URL_ENV);
        }
        if (value == null || value.isBlank()) {
            source = "the default URL";
            value = DEFAULT_URL;
        }
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "Expected " + source
                    + " to be an http(s) URL such as " + DEFAULT_URL + ", but found '" + value + "'");
        }
    }

    FlowRaftClient client() {
        return new FlowRaftClient(baseUri(), REQUEST_TIMEOUT, trustingCaFile(ClientCredentials.bearer(apiKey())));
    }

    /** {@code --api-key}, else {@value #API_KEY_ENV}; {@code null} if neither is set (insecure-local clusters). */
    String apiKey() {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey;
        }
        return environment.apply(API_KEY_ENV);
    }

    /**
     * {@code credentials} trusting the CAs of {@code --ca-file}, else of {@value #CA_FILE_ENV}; as they are if
     * neither is set.
     *
     * @throws ParameterException if the file cannot be read or holds no certificate (a usage error)
     */
    ClientCredentials trustingCaFile(ClientCredentials credentials) {
        String source = "--ca-file";
        String value = caFile;
        if (value == null || value.isBlank()) {
            source = CA_FILE_ENV;
            value = environment.apply(CA_FILE_ENV);
        }
        if (value == null || value.isBlank()) {
            return credentials;
        }
        try {
            return credentials.trusting(Path.of(value.strip()));
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "Expected " + source
                    + " to name a PEM file of CA certificates, but " + e.getMessage());
        }
    }

    /** The version from the jar's manifest; {@code dev} when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FlowRaftCli.class.getPackage().getImplementationVersion();
            return new String[] {"flowraft " + (version == null ? "dev" : version)};
        }
    }
}
