package io.flowraft.coordinator.history;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * History in PostgreSQL, only when {@code flowraft.history.jdbc-url} is set. Nothing here connects at start-up:
 * a {@link HistoryDatabase} opens a cluster's store once the cluster id is known.
 *
 * <p>Spring Boot's DataSource and Flyway auto-configuration are not on the classpath (the coordinator depends on
 * spring-jdbc, HikariCP and flyway-core, not on Boot's JDBC starter), so a coordinator without a database starts
 * exactly as one before history.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(HistoryDatabaseConfiguration.JdbcUrlSet.class)
@EnableConfigurationProperties(HistoryProperties.class)
public class HistoryDatabaseConfiguration {

    @Bean
    HistoryDatabase historyDatabase(HistoryProperties properties) {
        return new HistoryDatabase(properties);
    }

    /**
     * Whether a JDBC URL is set and not blank. ({@code @ConditionalOnProperty} would match an empty value, which is
     * what {@code ./flowraft} passes when FLOWRAFT_JDBC_URL is unset.)
     */
    static final class JdbcUrlSet implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("flowraft.history.jdbc-url");
            return url != null && !url.isBlank();
        }
    }
}
