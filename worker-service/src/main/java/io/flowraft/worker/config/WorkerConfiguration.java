package io.flowraft.worker.config;

import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.runtime.HandlerRegistry;
import io.flowraft.worker.runtime.TaskTracing;
import io.flowraft.worker.runtime.Worker;
import io.flowraft.worker.runtime.WorkerClock;
import io.flowraft.worker.spi.TaskHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires every {@link TaskHandler} bean of the context into the {@link Worker}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerConfiguration {

    @Bean
    HandlerRegistry handlerRegistry(ObjectProvider<TaskHandler<?, ?>> handlers, WorkerProperties properties) {
        return new HandlerRegistry(handlers.orderedStream().toList(), properties, FlowRaftJson.mapper());
    }

    @Bean
    Worker worker(WorkerProperties properties, HandlerRegistry registry, MeterRegistry meterRegistry,
            ObjectProvider<WorkerClock> clock, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        // Without tracing (management.tracing.export.enabled=false) Boot provides no-op ones, or none at all.
        TaskTracing tracing = new TaskTracing(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
        return new Worker(properties, registry, meterRegistry, FlowRaftJson.mapper(), clock.getIfAvailable(WorkerClock::system),
                tracing);
    }
}
