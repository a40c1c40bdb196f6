package io.flowraft.coordinator.api;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Where controllers continue once Raft answers. The futures of the Raft layer may complete on its state
 * machine thread, which must never be slowed down; building views (JSON parsing) and proposing the next
 * command of a long poll happen here instead. One virtual thread per continuation: the work is short and
 * bounded by the requests in flight.
 */
@Component
public class ApiExecutor implements java.util.concurrent.Executor, DisposableBean {

    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("flowraft-api-", 0).factory());

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
