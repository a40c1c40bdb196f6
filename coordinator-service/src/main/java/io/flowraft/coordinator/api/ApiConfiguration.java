package io.flowraft.coordinator.api;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.api.error.PayloadLimitFilter;
import io.flowraft.coordinator.api.error.ProblemAnswers;
import io.flowraft.coordinator.replication.CommandGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the REST layer into Spring MVC: the wire JSON mapping, the async timeout, and the body size limit.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, StuckProperties.class})
public class ApiConfiguration implements WebMvcConfigurer {

    private final ApiProperties properties;

    public ApiConfiguration(ApiProperties properties) {
        this.properties = properties;
    }

    /**
     * The one {@link JsonMapper} of the application: {@link FlowRaftJson}'s settings (duplicate keys rejected,
     * nesting and string length bounded, no coercion between JSON types, ISO instants, nulls left out), so HTTP
     * bodies mean exactly what the contract says. Spring Boot's {@code JacksonAutoConfiguration} backs off when a
     * {@code JsonMapper} bean exists, and its MVC converter ({@code JacksonJsonHttpMessageConverter}) is then
     * built on this one. Boot's {@code spring.jackson.*} properties therefore do not apply: the wire format is
     * not configuration. The {@link ProblemDetail} mix-in, which Boot would otherwise add, flattens problem
     * extensions ({@code field}, {@code leader}, ...) into the problem object as RFC 9457 wants.
     */
    @Bean
    @Primary
    public JsonMapper flowRaftJsonMapper() {
        return FlowRaftJson.builder()
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .build();
    }

    /** How every problem is answered, and where refusals (429, 503) are counted. */
    @Bean
    public ProblemAnswers problemAnswers(JsonMapper flowRaftJsonMapper, MeterRegistry registry) {
        return new ProblemAnswers(flowRaftJsonMapper, registry);
    }

    /** Before every other filter, so nothing reads an oversized body first. */
    @Bean
    public FilterRegistrationBean<PayloadLimitFilter> payloadLimitFilter(ProblemAnswers problemAnswers) {
        FilterRegistrationBean<PayloadLimitFilter> registration = new FilterRegistrationBean<>(
                new PayloadLimitFilter(properties.maxBodySize().toBytes(), problemAnswers));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    public FilterRegistrationBean<RoleHeaderFilter> roleHeaderFilter(CommandGateway gateway) {
        FilterRegistrationBean<RoleHeaderFilter> registration = new FilterRegistrationBean<>(new RoleHeaderFilter(gateway));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.addUrlPatterns(FlowRaftHttp.API_V1 + "/*");
        return registration;
    }

    /**
     * Controllers return futures, so no servlet thread waits on Raft; this bounds how long a request may stay
     * suspended. Long polls set their own, longer timeout.
     */
    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(properties.requestTimeout().toMillis());
    }
}
