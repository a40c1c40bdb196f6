package io.flowraft.coordinator.api;

import jakarta.servlet.Filter;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * A Spring Boot application of the REST layer alone, over a {@link DirectEngineGateway}. It scans only
 * {@code io.flowraft.coordinator.api} and {@code .security}: scanning {@code io.flowraft.coordinator} would start
 * the real Raft node.
 *
 * <p>Marked {@link TestComponent} on purpose: a full-application test ({@code @SpringBootTest} of
 * {@code CoordinatorApplication}) scans {@code io.flowraft.coordinator} on the test classpath too, and Spring
 * Boot's {@code TestTypeExcludeFilter} skips test components there; without the mark this class would add a
 * second {@code CommandGateway} to every such context. (Not {@code @TestConfiguration}: Spring Boot would then
 * treat it as an addition to the application it finds, {@code CoordinatorApplication}, and start Raft here.)
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@TestComponent
@EnableAutoConfiguration
@ComponentScan(basePackages = {"io.flowraft.coordinator.api", "io.flowraft.coordinator.security"})
public class ApiTestApplication {

    /** Where a failing filter lives, to show that failures outside Spring MVC are problems too. */
    public static final String FILTER_FAILURE_PATH = "/test/filter-failure";

    @Bean
    public DirectEngineGateway directEngineGateway() {
        return new DirectEngineGateway();
    }

    @Bean
    public FilterRegistrationBean<Filter> failingFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
            throw new IllegalStateException("secret filter internals");
        });
        registration.addUrlPatterns(FILTER_FAILURE_PATH);
        return registration;
    }
}
