package io.flowraft.coordinator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a coordinator's {@code /actuator/prometheus}, parsed into samples: enough of the text format for
 * assertions (names, labels without escaped quotes, values).
 */
public final class PrometheusScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples;

    private PrometheusScrape(String text) {
        this.text = text;
        List<Sample> parsed = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("Not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            parsed.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        this.samples = List.copyOf(parsed);
    }

    /** Scrapes {@code managementUri}{@code /actuator/prometheus}. */
    public static PrometheusScrape of(URI managementUri) {
        HttpRequest request = HttpRequest.newBuilder(managementUri.resolve("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("Scrape answered " + response.statusCode() + ": " + response.body());
            }
            return new PrometheusScrape(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static PrometheusScrape parse(String text) {
        return new PrometheusScrape(text);
    }

    public String text() {
        return text;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every sample name in the scrape. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /**
     * The sum of the samples of {@code name} whose labels include {@code labels} (pairs: name, value); 0 when there
     * are none, as Prometheus would treat an absent counter.
     */
    public double sum(String name, String... labels) {
        return samples.stream().filter(s -> matches(s, name, labels)).mapToDouble(Sample::value).sum();
    }

    /** Whether a sample of {@code name} with these labels exists (pairs: name, value). */
    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(s -> matches(s, name, labels));
    }

    private static boolean matches(Sample sample, String name, String... labels) {
        if (!sample.name().equals(name)) {
            return false;
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
