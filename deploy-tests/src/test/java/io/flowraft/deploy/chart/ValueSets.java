package io.flowraft.deploy.chart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The value sets the tests render the chart with, by name (for parameterized tests and their messages). */
final class ValueSets {

    static final Map<String, String> DEFAULTS = Map.of();
    static final Map<String, String> ONE_COORDINATOR = Map.of("coordinator.replicas", "1");
    static final Map<String, String> FIVE_COORDINATORS = Map.of("coordinator.replicas", "5");
    static final Map<String, String> HISTORY = Map.of(
            "history.jdbcUrl", "jdbc:postgresql://pg.db.svc:5432/flowraft",
            "history.username", "flowraft",
            "history.password", "s3cret");
    static final Map<String, String> HISTORY_EXISTING_SECRET = Map.of(
            "history.jdbcUrl", "jdbc:postgresql://pg.db.svc:5432/flowraft",
            "history.existingSecret", "pg-credentials");
    static final Map<String, String> EXISTING_CREDENTIALS = Map.of("credentials.existingSecret", "my-flowraft-keys");
    static final Map<String, String> KEDA = Map.of("worker.keda.enabled", "true");
    static final Map<String, String> NO_NETWORK_POLICY = Map.of("networkPolicy.enabled", "false");
    static final Map<String, String> METRICS = Map.of(
            "metrics.serviceMonitor.enabled", "true",
            "metrics.prometheusRule.enabled", "true",
            "metrics.dashboard.enabled", "true");
    static final Map<String, String> HARD_ANTI_AFFINITY = Map.of("coordinator.podAntiAffinity", "hard");
    static final Map<String, String> NO_PERSISTENCE = Map.of("coordinator.persistence.enabled", "false");
    static final Map<String, String> FIXED_WORKERS = Map.of("worker.autoscaling.enabled", "false",
            "worker.replicas", "4");
    /** Settings for the services' config files: keys with dots are escaped for --set. */
    static final Map<String, String> CONFIG_FILES = Map.of(
            "coordinator.config.flowraft\\.retention\\.finished-after", "2h",
            "coordinator.config.flowraft\\.raft\\.snapshot-interval-secs", "600",
            "worker.config.flowraft\\.worker\\.max-in-flight", "64",
            "worker.config.flowraft\\.worker\\.types\\.http\\.concurrency", "4");

    private ValueSets() {
    }

    /** The names of {@link #all()}, for {@code @MethodSource}. */
    static List<String> names() {
        return List.copyOf(all().keySet());
    }

    /** Every value set above by name. */
    static Map<String, Map<String, String>> all() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("defaults", DEFAULTS);
        all.put("1 coordinator", ONE_COORDINATOR);
        all.put("5 coordinators", FIVE_COORDINATORS);
        all.put("history", HISTORY);
        all.put("history with its existing secret", HISTORY_EXISTING_SECRET);
        all.put("existing credentials", EXISTING_CREDENTIALS);
        all.put("KEDA", KEDA);
        all.put("no NetworkPolicy", NO_NETWORK_POLICY);
        all.put("metrics", METRICS);
        all.put("hard anti-affinity", HARD_ANTI_AFFINITY);
        all.put("no persistence", NO_PERSISTENCE);
        all.put("fixed workers", FIXED_WORKERS);
        all.put("config files", CONFIG_FILES);
        return all;
    }
}
