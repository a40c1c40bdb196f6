package io.flowraft.coordinator.history;

import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The history exporter, writing to PostgreSQL when this coordinator has one ({@code flowraft.history.*}). */
@Configuration(proxyBeanMethods = false)
public class HistoryConfiguration {

    @Bean(destroyMethod = "close")
    HistoryExporter historyExporter(CommandGateway gateway, StateReader state, ObjectProvider<HistoryStores> stores,
            MeterRegistry registry) {
        return new HistoryExporter(gateway, state, stores.getIfAvailable(HistoryStores::none), registry);
    }
}
