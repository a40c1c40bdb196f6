package io.flowraft.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * The worker process: long-polls coordinators for tasks of the types its {@code TaskHandler} beans run, runs
 * them with bounded concurrency and reports the outcomes. Add handlers as beans in (or under) this package, or
 * import them. See docs/WORKERS.md.
 */
@SpringBootApplication
public class WorkerApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(WorkerApplication.class, args);
        // A JVM ended by SIGTERM exits with 143 even after a clean shutdown. A worker that drained its tasks
        // has done nothing wrong, so it closes the context itself (the graceful stop) and exits with its code, 0.
        Signal.handle(new Signal("TERM"), signal -> System.exit(SpringApplication.exit(context)));
    }
}
