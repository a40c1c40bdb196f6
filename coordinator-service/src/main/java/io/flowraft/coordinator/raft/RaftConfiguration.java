package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.replication.AppliedFeed;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.StateReader;
import io.flowraft.coordinator.replication.TaskArrivals;
import io.flowraft.coordinator.replication.PollSightings;
import io.flowraft.coordinator.replication.WorkflowEnds;
import io.flowraft.coordinator.scheduling.InitialSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes the Raft runtime to the rest of the coordinator through its interfaces. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RaftProperties.class, EngineProperties.class, RetentionProperties.class})
public class RaftConfiguration {

    /** The leader's clock for stamping commands; replaceable in tests. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    RaftRuntime raftRuntime(RaftProperties properties, EngineProperties engine, RetentionProperties retention, Clock clock,
            MeterRegistry registry, @Value("${flowraft.security.mode:}") String securityMode) {
        return new RaftRuntime(properties, securityMode, new InitialSettings(engine.initialLimits(), retention.retention()),
                clock, registry);
    }

    @Bean
    RaftNode raftNode(RaftRuntime runtime) {
        return runtime.node();
    }

    @Bean
    HandoverEndpoint handoverEndpoint(RaftRuntime runtime, RaftProperties properties) {
        return new HandoverEndpoint(runtime.node(), properties.handoverTimeout());
    }

    @Bean
    CommandGateway commandGateway(RaftRuntime runtime) {
        return runtime.gateway();
    }

    @Bean
    StateReader stateReader(RaftRuntime runtime) {
        return runtime.reader();
    }

    @Bean
    AppliedFeed appliedFeed(RaftRuntime runtime) {
        return runtime.appliedFeed();
    }

    @Bean
    StateMeters stateMeters(StateReader state) {
        return new StateMeters(state);
    }

    @Bean
    TaskArrivals taskArrivals(RaftRuntime runtime) {
        return runtime.arrivals();
    }

    @Bean
    PollSightings pollSightings(RaftRuntime runtime) {
        return runtime.sightings();
    }

    @Bean
    WorkflowEnds workflowEnds(RaftRuntime runtime) {
        return runtime.ends();
    }

    @Bean
    ClusterAdmin clusterAdmin(RaftRuntime runtime) {
        return runtime.admin();
    }

    @Bean("raft")
    HealthIndicator raftHealthIndicator(RaftRuntime runtime) {
        return runtime.readiness();
    }

    @Bean("raftLiveness")
    HealthIndicator raftLivenessHealthIndicator(RaftRuntime runtime) {
        return runtime.liveness();
    }
}
