package io.flowraft.bench.peer;

/**
 * One measured peer run.
 *
 * @param workflows workflows measured (after the warm-up)
 * @param completed of which ended within {@link ClosedLoop#GIVE_UP}
 * @param unfinished the others
 * @param stepsExecuted step executions of the measured workflows (10 per workflow when all is well)
 * @param stepsNotExactlyOnce steps of all the run's workflows, warm-up included, that ran twice or never
 * @param rowsLeft rows still in the table after the run (0 when every workflow ended)
 * @param seconds from the first workflow's start to the last one's end
 * @param tasksPerSecond steps per second: {@code completed * 10 / seconds}
 * @param latency a workflow's first step scheduled → its last step's row deleted
 * @param jvmCpuSeconds this JVM's CPU over the measured window
 * @param postgresCpuSeconds the PostgreSQL server's CPU over it ({@code null}: not readable)
 */
public record PeerRun(int workflows, int completed, int unfinished, long stepsExecuted, int stepsNotExactlyOnce,
        long rowsLeft, double seconds, double workflowsPerSecond, double tasksPerSecond, Percentiles latency,
        double jvmCpuSeconds, Double postgresCpuSeconds) {

    /** Every workflow ended and every step ran exactly once. */
    public boolean clean() {
        return unfinished == 0 && stepsNotExactlyOnce == 0 && rowsLeft == 0;
    }
}
