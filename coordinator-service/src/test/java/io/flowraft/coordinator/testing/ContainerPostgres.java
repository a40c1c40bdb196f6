package io.flowraft.coordinator.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The Testcontainers step of {@link TestPostgres}, in a class of its own so that a test classpath without
 * Testcontainers fails here with a LinkageError that {@link TestPostgres} reports, not when it loads.
 */
final class ContainerPostgres {

    private static final String IMAGE = "postgres:17-alpine";

    private ContainerPostgres() {
    }

    /** Starts a container for the rest of this JVM (Testcontainers removes it when the JVM exits). */
    @SuppressWarnings("resource")
    static TestPostgres.Server start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("no Docker engine answers");
        }
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
        container.start();
        return new TestPostgres.Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                "Testcontainers (" + IMAGE + ")");
    }
}
