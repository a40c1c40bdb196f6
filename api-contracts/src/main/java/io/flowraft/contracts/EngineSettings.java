package io.flowraft.contracts;

/**
 * The engine limits a cluster runs with: the answer of {@code GET /api/v1/cluster/engine-settings} and the body of
 * {@code PUT} there (admin). The limits are replicated state, committed through Raft, so every coordinator judges
 * every command by the same ones whatever its own {@code flowraft.engine.*} properties say; those only seed a new
 * cluster. In a {@code PUT}, a field left out keeps its value, and {@code stateBytes} and {@code configured} are
 * read-only.
 *
 * @param maxTasks tasks per DAG
 * @param maxPayloadBytes UTF-8 bytes of one workflow input, task input (rendered or not) or task output
 * @param maxDependencies direct dependencies of one task
 * @param maxErrorBytes bytes of a failure message kept (longer ones are cut)
 * @param maxTaskTypesPerPoll task types one poll may ask for
 * @param maxLeasesPerPoll leases one poll may ask for
 * @param maxWorkflowBytes bytes one workflow may hold in the replicated state (input, rendered inputs, outputs,
 *     errors, history)
 * @param maxStateBytes bytes the whole replicated state may hold before new work is refused with 429
 *     {@code state-budget}
 * @param stateBytes what the state holds now, as this node counts it (read-only)
 * @param configured whether the limits were committed (a new cluster's first leader commits its own); before,
 *     the built-in defaults apply (read-only)
 * @param finishedRetentionMs how long a finished workflow stays in the replicated state once exported to history
 * @param idempotencyKeyRetentionMs how long an idempotency key answers with its first workflow, from its submit
 * @param clusterId the cluster's name; its history lives under it (read-only)
 * @param exportedThrough the log index up to which history is exported (read-only)
 */
public record EngineSettings(Integer maxTasks, Integer maxPayloadBytes, Integer maxDependencies, Integer maxErrorBytes,
        Integer maxTaskTypesPerPoll, Integer maxLeasesPerPoll, Long maxWorkflowBytes, Long maxStateBytes,
        Long stateBytes, Boolean configured, Long finishedRetentionMs, Long idempotencyKeyRetentionMs,
        String clusterId, Long exportedThrough) {

    /** Limits only, as they were before retention. */
    public EngineSettings(Integer maxTasks, Integer maxPayloadBytes, Integer maxDependencies, Integer maxErrorBytes,
            Integer maxTaskTypesPerPoll, Integer maxLeasesPerPoll, Long maxWorkflowBytes, Long maxStateBytes,
            Long stateBytes, Boolean configured) {
        this(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll, maxLeasesPerPoll,
                maxWorkflowBytes, maxStateBytes, stateBytes, configured, null, null, null, null);
    }
}
