package io.flowraft.coordinator.metrics;

import io.flowraft.coordinator.replication.AppliedFeed;
import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The workflow and task metrics: counters and histograms derived from the applied log ({@link EngineMeters}), and
 * the READY backlog read from the state ({@link BacklogMeters}). Both listen from before the Raft node starts, so
 * they hear the replay of its log too.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class MetricsConfiguration {

    /** One cap per label for all the meters, so that a type or definition is named alike in every metric. */
    @Bean
    MetricLabels metricLabels(MetricsProperties properties) {
        return new MetricLabels(new LabelCap(properties.maxTaskTypes()), new LabelCap(properties.maxDefinitions()));
    }

    @Bean
    EngineMeters engineMeters(AppliedFeed feed, MeterRegistry registry, MetricLabels labels) {
        EngineMeters meters = new EngineMeters(registry, labels);
        feed.addListener(meters);
        return meters;
    }

    @Bean
    BacklogMeters backlogMeters(AppliedFeed feed, StateReader state, MeterRegistry registry, MetricLabels labels) {
        BacklogMeters meters = new BacklogMeters(state, feed::leaderNow, registry, labels.types());
        feed.addListener(meters);
        return meters;
    }
}
