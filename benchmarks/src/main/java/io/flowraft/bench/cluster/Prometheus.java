package io.flowraft.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Reads a process's {@code /actuator/prometheus} text and sums the samples of one metric. */
final class Prometheus {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String text;

    private Prometheus(String text) {
        this.text = text;
    }

    /** The scrape of {@code base}, or empty text if it did not answer (a killed process). */
    static Prometheus scrape(URI base) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Prometheus(response.statusCode() == 200 ? response.body() : "");
        } catch (IOException e) {
            return new Prometheus("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Prometheus("");
        }
    }

    /** One sample line: the metric's labels as written ({@code {a="1",b="2"}}, empty without) and its value. */
    private record Sample(String labels, double value) {
    }

    /** Every sample of exactly {@code metric} (not of a longer name that starts with it). */
    private List<Sample> samples(String metric) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.startsWith("#") || !line.startsWith(metric) || space < metric.length()) {
                continue;
            }
            String labels = line.substring(metric.length(), space);
            if (!labels.isEmpty() && !labels.startsWith("{")) {
                continue;
            }
            try {
                samples.add(new Sample(labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return samples;
    }

    /**
     * The sum over every sample of {@code metric} whose labels contain {@code labelFragment} (e.g.
     * {@code area="heap"}; empty for any); empty if there is none.
     */
    OptionalDouble sum(String metric, String labelFragment) {
        List<Sample> matching = samples(metric).stream().filter(s -> s.labels().contains(labelFragment)).toList();
        return matching.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(matching.stream().mapToDouble(Sample::value).sum());
    }

    /** The sums of {@code metric}'s samples grouped by the values of {@code label} (samples without it left out). */
    Map<String, Double> sumBy(String metric, String label) {
        Map<String, Double> sums = new TreeMap<>();
        String key = label + "=\"";
        for (Sample sample : samples(metric)) {
            int at = sample.labels().indexOf(key);
            if (at >= 0) {
                int from = at + key.length();
                sums.merge(sample.labels().substring(from, sample.labels().indexOf('"', from)), sample.value(), Double::sum);
            }
        }
        return sums;
    }

    double sumOr(String metric, String labelFragment, double otherwise) {
        return sum(metric, labelFragment).orElse(otherwise);
    }
}
