package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.engine.Retention;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The retention a new cluster starts with ({@code flowraft.retention.*}). Like the engine limits it is
 * replicated state: the first leader commits these values once, every coordinator applies the committed ones,
 * and {@code PUT /api/v1/cluster/engine-settings} changes them.
 *
 * @param finishedAfter    a finished workflow leaves the replicated state this long after it ended, once its history
 *                         is exported (without a database: the past is then gone)
 * @param idempotencyKeys  a repeated submit with the same idempotency key answers the first workflow for this long
 *                         after it was submitted; after that it starts a new workflow
 */
@Validated
@ConfigurationProperties("flowraft.retention")
public record RetentionProperties(
        @DefaultValue("1h") @NotNull @DurationMin(millis = 0) @DurationMax(days = 366) Duration finishedAfter,
        @DefaultValue("24h") @NotNull @DurationMin(millis = 0) @DurationMax(days = 366) Duration idempotencyKeys) {

    public Retention retention() {
        return new Retention(finishedAfter.toMillis(), idempotencyKeys.toMillis());
    }
}
