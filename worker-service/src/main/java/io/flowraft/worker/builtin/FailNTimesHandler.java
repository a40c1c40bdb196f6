package io.flowraft.worker.builtin;

import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.flowraft.worker.spi.TerminalTaskException;
import org.springframework.stereotype.Component;

/**
 * Built-in {@code fail-n-times}, for testing retry policies: input {@code {"times": n}}; attempts 1 to n fail
 * as retryable, attempt n + 1 completes with {@code {"attempt": n + 1}}. It decides by the attempt number alone,
 * so it behaves the same on any worker and after any crash.
 */
@Component
public class FailNTimesHandler implements TaskHandler<FailNTimesHandler.Input, FailNTimesHandler.Output> {

    public record Input(Integer times) {
    }

    public record Output(int attempt) {
    }

    @Override
    public String type() {
        return "fail-n-times";
    }

    @Override
    public Output handle(Input input, TaskContext context) {
        if (input == null || input.times() == null || input.times() < 0) {
            throw new TerminalTaskException("fail-n-times needs {\"times\": n} with n >= 0");
        }
        if (context.attempt() <= input.times()) {
            throw new IllegalStateException("Failing attempt " + context.attempt() + " of " + input.times() + " on purpose");
        }
        return new Output(context.attempt());
    }
}
