package io.flowraft.coordinator.security;

import io.flowraft.coordinator.api.error.ProblemAnswers;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Who may call what (docs/SECURITY.md): every endpoint but liveness and readiness needs an API key or a JWT as
 * {@code Authorization: Bearer}, and a role the endpoint names ({@link EndpointAccess}); 401 and 403 are
 * problem+json; each principal is rate limited. Stateless: no session, no cookie, so no CSRF to defend.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    ApiKeys apiKeys(SecurityProperties properties) {
        return ApiKeys.from(properties);
    }

    @Bean
    SecurityFilterChain flowRaftSecurity(HttpSecurity http, SecurityProperties properties, ApiKeys apiKeys,
            ObjectProvider<JwtDecoder> jwtDecoder, ProblemAnswers problemAnswers, MeterRegistry registry,
            Environment environment) throws Exception {
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        SecurityChecks.check(properties, apiKeys, decoder != null, environment);
        ProblemSecurityAnswers answers = new ProblemSecurityAnswers(problemAnswers);

        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e.authenticationEntryPoint(answers).accessDeniedHandler(answers))
                .authorizeHttpRequests(authorize -> {
                    authorize.requestMatchers("/actuator/health/liveness", "/actuator/health/readiness",
                            "/livez", "/readyz", "/error").permitAll();
                    authorize.requestMatchers(new ManagementPort(environment)).permitAll();
                    for (EndpointAccess.Rule rule : EndpointAccess.RULES) {
                        authorize.requestMatchers(rule.matcher()).hasAnyRole(rule.roleNames());
                    }
                    authorize.anyRequest().authenticated();
                });
        if (properties.mode() == SecurityMode.INSECURE_LOCAL) {
            log.warn("flowraft.security.mode=insecure-local: no authentication; every caller acts as '{}' with every"
                    + " role. Listening on loopback only", Caller.LOCAL);
            http.addFilterBefore(new LocalCallerFilter(), AuthorizationFilter.class);
        } else {
            BearerAuthentication bearer = new BearerAuthentication(apiKeys, decoder, properties.jwt());
            http.oauth2ResourceServer(resourceServer -> resourceServer
                    .authenticationManagerResolver(request -> bearer)
                    .authenticationEntryPoint(answers)
                    .accessDeniedHandler(answers));
            http.addFilterAfter(new RateLimitFilter(properties, answers, registry), AuthorizationFilter.class);
            log.info("Authentication on: {} API key(s){}", apiKeys.size(), decoder != null ? " and JWTs" : "");
        }
        return http.build();
    }
}
