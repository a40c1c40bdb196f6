package io.flowraft.worker.builtin;

import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.flowraft.worker.spi.TerminalTaskException;
import org.springframework.stereotype.Component;

/**
 * Built-in {@code sleep}: input {@code {"ms": n}}, waits {@code n} milliseconds, outputs {@code {"sleptMs": n}}.
 * A long sleep keeps its lease through the worker's heartbeats; the task's
 * {@code timeoutMs} still bounds it: the worker interrupts it when its lease runs out there, and reports nothing
 * (the coordinator expires the lease and retries). Interrupted at shutdown it fails as retryable.
 */
@Component
public class SleepHandler implements TaskHandler<SleepHandler.Input, SleepHandler.Output> {

    public record Input(Long ms) {
    }

    public record Output(long sleptMs) {
    }

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public Output handle(Input input, TaskContext context) throws InterruptedException {
        if (input == null || input.ms() == null || input.ms() < 0) {
            throw new TerminalTaskException("sleep needs {\"ms\": n} with n >= 0");
        }
        Thread.sleep(input.ms());
        return new Output(input.ms());
    }
}
