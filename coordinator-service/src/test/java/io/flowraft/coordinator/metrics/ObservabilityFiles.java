package io.flowraft.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.testing.PrometheusScrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard and the Prometheus alert rules under docs/observability, parsed as their tools would, and
 * every metric their queries name checked against a real scrape: a renamed metric breaks this, not a dashboard.
 */
final class ObservabilityFiles {

    private static final Pattern METRIC = Pattern.compile("\\bflowraft_[a-z0-9_]+");

    private ObservabilityFiles() {
    }

    static Path directory() {
        // Tests run in the module's directory; the docs are the reactor's.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/observability");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("No docs/observability above " + Path.of("").toAbsolutePath());
    }

    /** Every {@code expr} of the dashboard's panels. */
    static List<String> dashboardQueries() {
        JsonNode dashboard = FlowRaftJson.mapper().readTree(read("flowraft-dashboard.json"));
        assertThat(dashboard.get("title").asString()).isEqualTo("FlowRaft");
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.get("expr").asString());
            }
        }
        return queries;
    }

    /** Every {@code expr} of the alert rules, which must be PrometheusRule-style {@code groups} of named rules. */
    @SuppressWarnings("unchecked")
    static List<String> alertQueries() {
        Map<String, Object> rules = new Yaml().load(read("flowraft-alerts.yaml"));
        List<String> queries = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            assertThat(group.get("name")).as("group name").isInstanceOf(String.class);
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                assertThat(rule.get("alert")).as("alert name in " + group.get("name")).isInstanceOf(String.class);
                assertThat(rule.get("expr")).as("expr of " + rule.get("alert")).isInstanceOf(String.class);
                assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
                assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
                queries.add((String) rule.get("expr"));
            }
        }
        return queries;
    }

    /** The metric names a query refers to. */
    static Set<String> metricsIn(String query) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Asserts that every metric the dashboard and the alerts name is in {@code scrape}. */
    static void assertEveryQueryNamesScrapedMetrics(PrometheusScrape scrape) {
        List<String> queries = new ArrayList<>(dashboardQueries());
        queries.addAll(alertQueries());
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> scraped = scrape.names();
        for (String query : queries) {
            assertThat(metricsIn(query)).as("metrics of " + query).isNotEmpty();
            assertThat(scraped).as("metrics named by " + query).containsAll(metricsIn(query));
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(directory().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
