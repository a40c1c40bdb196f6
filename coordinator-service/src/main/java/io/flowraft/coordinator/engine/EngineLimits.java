package io.flowraft.coordinator.engine;

/**
 * Bounds the engine enforces on every command. They decide results inside apply, so they are part of the
 * replicated state: a cluster starts with {@link #DEFAULT}, its first leader proposes the values it was
 * configured with ({@code ConfigureEngine}, once), and an admin changes them the same way. A node never
 * applies limits of its own.
 *
 * @param maxTasks            tasks per DAG
 * @param maxPayloadBytes     UTF-8 bytes of one workflow input, task input template, rendered task input or
 *                            task output
 * @param maxDependencies     direct dependencies of one task
 * @param maxErrorBytes       UTF-8 bytes of a failure message kept in state (longer ones are truncated)
 * @param maxTaskTypesPerPoll task types one poll may ask for
 * @param maxLeasesPerPoll    leases one poll may ask for
 * @param maxWorkflowBytes    bytes one workflow may hold in the replicated state (input, rendered inputs, outputs,
 *                            errors, history); a workflow exceeds it by at most one terminal record per task
 * @param maxStateBytes       bytes the whole replicated state may hold before new workflows and definitions are
 *                            refused ({@code state-budget}, 429) while running work finishes
 */
public record EngineLimits(
        int maxTasks,
        int maxPayloadBytes,
        int maxDependencies,
        int maxErrorBytes,
        int maxTaskTypesPerPoll,
        int maxLeasesPerPoll,
        long maxWorkflowBytes,
        long maxStateBytes) {

    public static final long MIB = 1024 * 1024;

    public static final EngineLimits DEFAULT =
            new EngineLimits(1_000, 256 * 1024, 64, 4 * 1024, 32, 1_000, 8 * MIB, 256 * MIB);

    /** The largest values any limit may take: beyond them one command alone could exhaust a heap. */
    public static final EngineLimits CEILING =
            new EngineLimits(10_000, 16 * (int) MIB, 1_000, 64 * 1024, 1_000, 10_000, 256 * MIB, 64L * 1024 * MIB);

    public EngineLimits {
        if (maxTasks < 1 || maxPayloadBytes < 2 || maxDependencies < 1 || maxErrorBytes < 16
                || maxTaskTypesPerPoll < 1 || maxLeasesPerPoll < 1 || maxWorkflowBytes < 1 || maxStateBytes < 1) {
            throw new IllegalArgumentException("Engine limits must be positive: " + this);
        }
    }

    /** The six limits that predate the byte budgets, with the defaults for the rest; for tests. */
    public EngineLimits(int maxTasks, int maxPayloadBytes, int maxDependencies, int maxErrorBytes,
            int maxTaskTypesPerPoll, int maxLeasesPerPoll) {
        this(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll, maxLeasesPerPoll,
                DEFAULT.maxWorkflowBytes, DEFAULT.maxStateBytes);
    }

    public EngineLimits withMaxWorkflowBytes(long bytes) {
        return new EngineLimits(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll,
                maxLeasesPerPoll, bytes, maxStateBytes);
    }

    public EngineLimits withMaxStateBytes(long bytes) {
        return new EngineLimits(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll,
                maxLeasesPerPoll, maxWorkflowBytes, bytes);
    }
}
