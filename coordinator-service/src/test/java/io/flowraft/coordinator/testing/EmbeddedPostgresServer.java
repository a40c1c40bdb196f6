package io.flowraft.coordinator.testing;

import io.flowraft.contracts.local.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The last step of {@link TestPostgres}: a PostgreSQL of zonky's binaries, started once for this JVM and stopped by
 * zonky's shutdown hook. In a class of its own so that a test classpath without zonky fails only here.
 */
final class EmbeddedPostgresServer {

    private EmbeddedPostgresServer() {
    }

    static TestPostgres.Server start() {
        try {
            // A port of FreePorts rather than zonky's pick from the ephemeral range (see FreePorts).
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(FreePorts.next()).start();
            return new TestPostgres.Server("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                    "postgres", "", "embedded PostgreSQL (zonky)");
        } catch (IOException e) {
            throw new UncheckedIOException("Starting an embedded PostgreSQL failed: " + e.getMessage(), e);
        }
    }
}
