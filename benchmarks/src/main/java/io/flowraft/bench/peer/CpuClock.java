package io.flowraft.bench.peer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * CPU time read at the start and end of the measured window: this JVM's (the peer's workers, its clients and
 * db-scheduler's threads all run in it) and the PostgreSQL server's (every process whose executable is
 * {@code postgres}: the backends serving the peer's connections, and whatever else the server did meanwhile,
 * autovacuum included). The server's is {@code null} where its processes cannot be read (another user's, without
 * the right to).
 */
final class CpuClock {

    /** CPU seconds of both over the window. */
    record Usage(double jvmSeconds, Double postgresSeconds) {
    }

    private final long jvmStart = jvmNanos();
    private final Long postgresStart = postgresNanos();

    Usage stop() {
        double jvm = (jvmNanos() - jvmStart) / 1e9;
        Long postgresEnd = postgresNanos();
        Double postgres = postgresStart == null || postgresEnd == null ? null
                : Math.max(postgresEnd - postgresStart, 0) / 1e9;
        return new Usage(Math.max(jvm, 0), postgres);
    }

    private static long jvmNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(os.getProcessCpuTime(), 0);
        }
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Long postgresNanos() {
        long[] each = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(p -> p.info().totalCpuDuration())
                .flatMap(Optional::stream)
                .mapToLong(Duration::toNanos)
                .toArray();
        return each.length == 0 ? null : LongStream.of(each).sum();
    }
}
