package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.engine.EngineLimits;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The engine limits a new cluster starts with ({@code flowraft.engine.*}). Limits decide results inside the
 * replicated state machine, so they are replicated state: the first leader of a new cluster proposes these
 * values once, and from then on the committed values hold on every node whatever its own properties say.
 * Change them on a running cluster with {@code PUT /api/v1/cluster/engine-settings}.
 *
 * @param maxStateBytes the state budget; 0 (the default) means a fifth of this JVM's maximum heap, at most 1 GiB:
 *                      the heap holds the state (about 1.2 times its count) and, while a snapshot is taken, its
 *                      encoding (about 1.6 times more), and the snapshot is one array, which must stay well below
 *                      2 GiB
 */
@Validated
@ConfigurationProperties("flowraft.engine")
public record EngineProperties(
        @DefaultValue("1000") @Min(1) int maxTasks,
        @DefaultValue("262144") @Min(2) int maxPayloadBytes,
        @DefaultValue("64") @Min(1) int maxDependencies,
        @DefaultValue("4096") @Min(16) int maxErrorBytes,
        @DefaultValue("32") @Min(1) int maxTaskTypesPerPoll,
        @DefaultValue("1000") @Min(1) int maxLeasesPerPoll,
        @DefaultValue("8388608") @Min(1) long maxWorkflowBytes,
        @DefaultValue("0") @Min(0) long maxStateBytes) {

    static final long MAX_DEFAULT_STATE_BYTES = 1024 * EngineLimits.MIB;

    /** The limits this node proposes if it is the first leader of a new cluster. */
    public EngineLimits initialLimits() {
        long stateBytes = maxStateBytes > 0 ? maxStateBytes
                : Math.min(Runtime.getRuntime().maxMemory() / 5, MAX_DEFAULT_STATE_BYTES);
        return new EngineLimits(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll,
                maxLeasesPerPoll, maxWorkflowBytes, stateBytes);
    }
}
