package io.flowraft.worker.builtin;

import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.builtin.HttpTargetPolicy.Target;
import io.flowraft.worker.config.WorkerProperties;
import io.flowraft.worker.secrets.Redactor;
import io.flowraft.worker.spi.RemoteText;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.flowraft.worker.spi.TerminalTaskException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Built-in {@code http}: calls a URL with the task input and outputs the answer.
 *
 * <p>Input {@code {"method": "POST", "url": "https://...", "headers": {...}, "body": <any JSON>, "timeoutMs": 5000}}
 * ({@code method} defaults to GET, or POST when there is a body; a JSON string body is sent as text, anything
 * else as JSON). An {@code Idempotency-Key} header carrying the task's idempotency key is added unless the input
 * sets one, so a server that honours it applies a task's effect once across attempts.
 *
 * <p>Output {@code {"status": 200, "headers": {"content-type": "..."}, "body": ...}}: a JSON body is parsed,
 * any other is a string. Redirects are not followed (a 3xx is an answer).
 *
 * <p>Outcomes: 5xx, 408, 429, a timeout or a connection failure fail the attempt as retryable; any other 4xx,
 * a refused target (see {@link HttpTargetPolicy}), a malformed input or a body over
 * {@code flowraft.worker.http.max-response-bytes} fail the task for good.
 *
 * <p>Protections: the host is resolved once, every address checked, and the connection made only to those
 * addresses (TLS SNI, certificate check and {@code Host} still use the URL's name). {@code timeoutMs} bounds the
 * whole call: resolving, connecting, sending and reading the whole body. Error messages name the URL without its
 * user info, query or fragment, never quote request headers, and quote at most {@value #EXCERPT_CHARS} characters
 * of a response body, with the query's values, credentials and secret values redacted and control characters
 * escaped. No proxy, cookies, automatic retries or decompression.
 */
@Component
public class HttpTaskHandler implements TaskHandler<HttpTaskHandler.Input, HttpTaskHandler.Output> {

    public record Input(String method, String url, Map<String, String> headers, JsonNode body, Long timeoutMs) {
    }

    public record Output(int status, Map<String, String> headers, JsonNode body) {
    }

    private static final Logger log = LoggerFactory.getLogger(HttpTaskHandler.class);

    /** How much of a response body an error message quotes. */
    static final int EXCERPT_CHARS = 256;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the client sets itself; setting them from the input could split or smuggle requests. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "upgrade", "expect", "te", "trailer", "keep-alive", "proxy-connection");
    /** Header names whose values are credentials: never quoted, and redacted from any text an error quotes. */
    private static final Pattern SENSITIVE_HEADER = Pattern.compile(
            "(?i).*(auth|cookie|token|secret|key|password|passwd|session|signature|credential).*");

    private final WorkerProperties.Http settings;
    private final HttpTargetPolicy policy;
    /** TLS as the JVM is configured ({@code javax.net.ssl.*}), hostnames verified against the URL's name. */
    private final Lookup<TlsSocketStrategy> tls = RegistryBuilder.<TlsSocketStrategy>create()
            .register("https", DefaultClientTlsStrategy.createSystemDefault()).build();

    public HttpTaskHandler(WorkerProperties properties) {
        this.settings = properties.http();
        this.policy = new HttpTargetPolicy(settings.allowedHosts(), HttpTargetPolicy.SYSTEM);
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Output handle(Input input, TaskContext context) throws IOException, InterruptedException {
        if (input == null || input.url() == null) {
            throw new TerminalTaskException("http needs at least {\"url\": \"https://...\"}");
        }
        URI uri;
        try {
            uri = new URI(input.url());
        } catch (URISyntaxException e) {
            throw new TerminalTaskException("Malformed url: " + e.getReason() + " at index " + e.getIndex());
        }
        if (uri.getRawUserInfo() != null) {
            throw new TerminalTaskException("The url carries user info; send credentials in an Authorization header");
        }
        Duration timeout = input.timeoutMs() == null ? settings.defaultTimeout() : Duration.ofMillis(input.timeoutMs());
        if (timeout.isNegative() || timeout.isZero()) {
            throw new TerminalTaskException("timeoutMs must be positive, was " + input.timeoutMs());
        }
        Call call = new Call(uri, input, timeout, context);
        FutureTask<Output> exchange = new FutureTask<>(call::run);
        Thread.ofVirtual().name("flowraft-http-" + context.leaseId()).start(exchange);
        try {
            return exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.request.cancel();
            throw new IOException("No answer from " + call.where + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            call.request.cancel(); // the lease was lost or the worker stops: do not leave the call running
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime; // a TerminalTaskException among them
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** One call: its request (cancelled from outside at the deadline), and what its error messages may say. */
    private final class Call {
        private final URI uri;
        private final Input input;
        private final Duration timeout;
        private final TaskContext context;
        private final HttpUriRequestBase request;
        /** The URL without user info, query or fragment. */
        private final String where;
        /** The query's values, credentials and sensitive header values. */
        private final Redactor sensitive;

        Call(URI uri, Input input, Duration timeout, TaskContext context) {
            this.uri = uri;
            this.input = input;
            this.timeout = timeout;
            this.context = context;
            this.where = describe(uri);
            this.sensitive = sensitive(uri, input.headers());
            this.request = request(input, uri, context);
        }

        Output run() throws IOException {
            Target target;
            try {
                target = policy.check(uri);
            } catch (UnknownHostException e) {
                throw new IOException("Cannot resolve the host of " + where + " (" + clean(e.getMessage()) + ")", e);
            }
            Response response;
            CloseableHttpClient client = client(target, timeout);
            try {
                response = exchange(client);
            } catch (IOException e) {
                if (request.isCancelled()) {
                    throw new IOException("The call to " + where + " was cancelled");
                }
                throw new IOException("Cannot call " + where + ": " + e.getClass().getSimpleName() + " ("
                        + clean(e.getMessage()) + ")", e);
            } finally {
                // Closes the connection at once: what is left of a body over the cap is never read.
                client.close(CloseMode.IMMEDIATE);
            }
            int status = response.status();
            int max = settings.maxResponseBytes();
            if (status >= 500 || status == 408 || status == 429) {
                throw new IOException("HTTP " + status + " from " + where + ": " + excerpt(response.body()));
            }
            if (status >= 400) {
                throw new TerminalTaskException("HTTP " + status + " from " + where + ": " + excerpt(response.body()));
            }
            if (response.body().length > max) {
                throw tooLong(max);
            }
            return new Output(status, response.headers(), parse(response.body(), response.headers().get("content-type")));
        }

        /** Sends the request and reads the answer, at most one byte more of its body than the cap. */
        private Response exchange(CloseableHttpClient client) throws IOException {
            ClassicHttpResponse response = client.executeOpen(null, request, null);
            int status = response.getCode();
            HttpEntity entity = response.getEntity();
            int max = settings.maxResponseBytes();
            if (entity != null && entity.getContentLength() > max && status < 300) {
                throw tooLong(max);
            }
            byte[] body;
            if (entity == null) {
                body = new byte[0];
            } else {
                // Not closed here: closing the stream would read the rest of the body, however long. The
                // connection is closed instead, at once, by the caller.
                InputStream stream = entity.getContent();
                body = stream.readNBytes(max + 1);
            }
            Map<String, String> headers = new TreeMap<>();
            for (Header header : response.getHeaders()) {
                headers.merge(header.getName().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b);
            }
            return new Response(status, headers, body);
        }

        private TerminalTaskException tooLong(int max) {
            return new TerminalTaskException("The response of " + where + " is longer than " + max
                    + " bytes (flowraft.worker.http.max-response-bytes)");
        }

        /** The start of a body, with secrets and credentials redacted before it is cut, on one line. */
        private String excerpt(byte[] body) {
            String text = clean(new String(body, StandardCharsets.UTF_8));
            if (text.length() > EXCERPT_CHARS) {
                text = text.substring(0, EXCERPT_CHARS) + "...";
            }
            String excerpt = RemoteText.escape(text);
            log.debug("{} answered: {}", where, excerpt);
            return excerpt;
        }

        /** Remote or client text without the call's credentials, query values or resolved secrets. */
        private String clean(String text) {
            return context.redact(sensitive.redact(text == null ? "" : text));
        }
    }

    /** An answer as read: the status, the headers lower-cased, and the body up to one byte over the cap. */
    private record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** A client for one call: one connection, to the checked addresses only. */
    private CloseableHttpClient client(Target target, Duration timeout) {
        Timeout limit = Timeout.of(timeout);
        BasicHttpClientConnectionManager connections = BasicHttpClientConnectionManager.create(
                DefaultSchemePortResolver.INSTANCE, new PinnedResolver(target), tls, ManagedHttpClientConnectionFactory.INSTANCE);
        connections.setConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build());
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /**
     * Answers the client's lookups with the addresses the policy checked, for the target's host only: the
     * connection goes where the check looked, whatever DNS would say now.
     */
    private record PinnedResolver(Target target) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (!HttpTargetPolicy.normalise(host).equals(target.host())) {
                throw new UnknownHostException("Only " + target.host() + " may be connected to by this call");
            }
            return target.addresses().toArray(InetAddress[]::new);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    private static HttpUriRequestBase request(Input input, URI uri, TaskContext context) {
        JsonNode body = input.body();
        boolean hasBody = body != null && !body.isNull() && !body.isMissingNode();
        String method = input.method() == null ? (hasBody ? "POST" : "GET") : input.method().toUpperCase(Locale.ROOT);
        if (!TOKEN.matcher(method).matches()) {
            throw new TerminalTaskException("Method '" + RemoteText.escape(method) + "' is not an HTTP method");
        }
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        Map<String, String> headers = input.headers() == null ? Map.of() : input.headers();
        headers.forEach((name, value) -> {
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw new TerminalTaskException("Header name '" + RemoteText.escape(name) + "' is not a valid HTTP header name");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new TerminalTaskException("Header '" + name + "' cannot be set: the client sets it");
            }
            if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new TerminalTaskException("Header '" + name + "' has no value or a line break in it");
            }
            request.addHeader(name, value);
        });
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Idempotency-Key"))) {
            request.addHeader("Idempotency-Key", context.idempotencyKey());
        }
        if (hasBody) {
            boolean typed = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
            byte[] bytes = body.isString() ? body.asString().getBytes(StandardCharsets.UTF_8)
                    : FlowRaftJson.mapper().writeValueAsBytes(body);
            ContentType type = body.isString() || typed ? null : ContentType.create("application/json");
            request.setEntity(new ByteArrayEntity(bytes, type));
        }
        return request;
    }

    /** {@code scheme://host[:port]/path}: the URL as errors may name it, without user info, query or fragment. */
    static String describe(URI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost();
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + host
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** What an error must not quote: the query (whole and per value), the user info, credential header values. */
    static Redactor sensitive(URI uri, Map<String, String> headers) {
        List<String> values = new ArrayList<>();
        addWithDecoded(values, uri.getRawQuery());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                addWithDecoded(values, equals < 0 ? pair : pair.substring(equals + 1));
            }
        }
        String userInfo = uri.getRawUserInfo();
        addWithDecoded(values, userInfo);
        if (userInfo != null && userInfo.indexOf(':') >= 0) {
            addWithDecoded(values, userInfo.substring(userInfo.indexOf(':') + 1));
        }
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null && SENSITIVE_HEADER.matcher(name).matches()) {
                    values.add(value);
                    int space = value.indexOf(' ');
                    if (space > 0) {
                        values.add(value.substring(space + 1).trim()); // the credentials of "Bearer xyz"
                    }
                }
            });
        }
        // Very short values ("1", "en") would blank out half of any text; they are not what leaks a credential.
        return Redactor.of(values.stream().filter(v -> v.length() >= 4).toList());
    }

    private static void addWithDecoded(List<String> values, String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        values.add(raw);
        try {
            values.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // Not valid percent-encoding: the raw form is all there is.
        }
    }

    private static JsonNode parse(byte[] body, String contentType) {
        if (body.length == 0) {
            return null;
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                return FlowRaftJson.mapper().readTree(body);
            } catch (JacksonException e) {
                // Not the JSON it claims to be: keep it as text.
            }
        }
        return StringNode.valueOf(new String(body, StandardCharsets.UTF_8));
    }
}
