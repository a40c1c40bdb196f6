package io.flowraft.worker.spi;

/**
 * Runs the tasks of one type. Declare it as a Spring bean and the worker polls for its {@link #type()}:
 *
 * <pre>{@code
 * @Component
 * class ChargeHandler implements TaskHandler<ChargeInput, ChargeOutput> {
 *     public String type() { return "charge"; }
 *     public ChargeOutput handle(ChargeInput input, TaskContext context) {
 *         return payments.charge(input.amount(), context.idempotencyKey());
 *     }
 * }
 * }</pre>
 *
 * <p>The task's JSON input is read into {@code I} with the wire mapper ({@code FlowRaftJson}); use
 * {@code JsonNode} to take it as it is. An absent input arrives as {@code null} (or a JSON null node for
 * {@code JsonNode}). The return value, written back to JSON, is the task's output; {@code null} means none.
 *
 * <p>Outcomes: returning completes the task. Throwing {@link TerminalTaskException} fails it for good; any
 * other exception fails this attempt and lets the coordinator retry it under the task's retry policy. Input
 * that cannot be read into {@code I} is terminal too (another attempt would read the same input).
 *
 * <p>Delivery is at least once: a task may run again after a crash or an expired lease, possibly while an
 * earlier attempt is still running somewhere. Deduplicate side effects with
 * {@link TaskContext#idempotencyKey()}. Handlers are called concurrently from several threads.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public interface TaskHandler<I, O> {

    /** The task type this handler runs, matching {@code [a-zA-Z0-9_-]{1,64}}; one handler per type. */
    String type();

    /**
     * Runs one attempt of one task. Called on a thread of its own; the worker heartbeats the lease meanwhile,
     * and interrupts the thread when the lease is lost or the shutdown grace period is over.
     */
    O handle(I input, TaskContext context) throws Exception;
}
