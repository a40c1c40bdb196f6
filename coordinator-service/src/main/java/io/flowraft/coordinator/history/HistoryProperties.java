package io.flowraft.coordinator.history;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where history goes ({@code flowraft.history.*}). History is optional: with no {@code jdbc-url} the coordinator
 * runs as before, on the replicated state alone.
 *
 * <p>The timeouts are short on purpose: the exporter and the API's reads of evicted workflows must fail fast
 * when PostgreSQL is down or hangs, and try again later, rather than hold a thread.
 *
 * @param jdbcUrl        {@code jdbc:postgresql://host:port/database}; empty turns history off
 * @param username       the database user; empty lets the driver choose (the URL's {@code user}, or the OS user)
 * @param password       the user's password, or empty
 * @param poolSize       connections at most: the exporter writes on one, reads of evicted workflows use the rest;
 *                       two at least, as migrating a schema holds two
 * @param connectTimeout how long getting a connection may take, connecting and logging in included
 * @param queryTimeout   how long one statement may run; a connection that answers nothing for this long (plus the
 *                       connect timeout, for the cancel request) is dropped
 */
@Validated
@ConfigurationProperties("flowraft.history")
public record HistoryProperties(
        @DefaultValue("") @NotNull @Pattern(regexp = "(jdbc:postgresql:.+)?",
                message = "must be empty (history off) or a jdbc:postgresql: URL") String jdbcUrl,
        @DefaultValue("") @NotNull String username,
        @DefaultValue("") @NotNull String password,
        @DefaultValue("4") @Min(2) @Max(64) int poolSize,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 250) @DurationMax(minutes = 1) Duration connectTimeout,
        @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration queryTimeout) {

    /** Whether history is on. */
    public boolean enabled() {
        return !jdbcUrl.isBlank();
    }
}
