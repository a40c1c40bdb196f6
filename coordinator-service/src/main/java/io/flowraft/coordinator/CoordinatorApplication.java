package io.flowraft.coordinator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The coordinator process: hosts the replicated workflow engine and, from the Raft issue on, the REST API. */
@SpringBootApplication
public class CoordinatorApplication {

    public static void main(String[] args) {
        // SOFA's logback bridge does not fit logback 1.5; it must be off before any SOFA class loads.
        System.setProperty("logback.middleware.log.disable", "true");
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
