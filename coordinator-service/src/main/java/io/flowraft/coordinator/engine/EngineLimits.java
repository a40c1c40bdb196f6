package io.flowraft.coordinator.engine;

/**
 * Bounds the engine enforces on every command. They are part of the replicated logic: every coordinator of
 * a cluster must run with the same limits, or replicas could decide differently.
 *
 * @param maxTasks          tasks per DAG
 * @param maxPayloadBytes   UTF-8 bytes of one workflow input, task input template or task output
 * @param maxDependencies   direct dependencies of one task
 * @param maxErrorBytes     UTF-8 bytes of a failure message kept in state (longer ones are truncated)
 * @param maxTaskTypesPerPoll task types one poll may ask for
 * @param maxLeasesPerPoll  leases one poll may ask for
 */
public record EngineLimits(
        int maxTasks,
        int maxPayloadBytes,
        int maxDependencies,
        int maxErrorBytes,
        int maxTaskTypesPerPoll,
        int maxLeasesPerPoll) {

    public static final EngineLimits DEFAULT = new EngineLimits(1_000, 256 * 1024, 64, 4 * 1024, 32, 1_000);

    public EngineLimits {
        if (maxTasks < 1 || maxPayloadBytes < 2 || maxDependencies < 1 || maxErrorBytes < 16
                || maxTaskTypesPerPoll < 1 || maxLeasesPerPoll < 1) {
            throw new IllegalArgumentException("Engine limits must be positive: " + this);
        }
    }
}
