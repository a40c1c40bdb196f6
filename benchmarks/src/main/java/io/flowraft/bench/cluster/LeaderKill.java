package io.flowraft.bench.cluster;

import io.flowraft.bench.cluster.BenchReport.Failover;
import io.flowraft.cli.local.LocalCluster;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --kill-leader}: SIGKILLs the leader once half the run's workflows are acknowledged, and measures how
 * long the cluster was without one (until a live coordinator names a new leader) and how long clients went
 * without an acknowledged submit (the last acknowledgement before the kill to the first after it).
 */
final class LeaderKill {

    private final LocalCluster cluster;
    private volatile long killedAtNanos;
    private volatile String killed = "none";
    private volatile long newLeaderMs = -1;

    LeaderKill(LocalCluster cluster) {
        this.cluster = cluster;
    }

    void kill() {
        try {
            int leader = cluster.leader().orElseThrow(() -> new IllegalStateException("no leader to kill"));
            killed = cluster.raftAddress(leader);
            killedAtNanos = System.nanoTime();
            cluster.killCoordinator(leader);
            System.out.printf(Locale.ROOT, "    >>> SIGKILL the leader, coordinator %d (%s)%n", leader + 1, killed);
            Waits.until("a new leader", Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            newLeaderMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNanos);
            System.out.printf(Locale.ROOT, "    >>> coordinator %d leads after %d ms%n", cluster.leader().get() + 1, newLeaderMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The unavailability window is the longest gap between consecutive acknowledged submits that ends after the
     * kill and starts before the new leader was found (plus a second). Answers already on their way when the
     * leader died arrive just after the kill, so "first acknowledgement after the kill" alone would say nothing.
     */
    Failover failover(LoadDriver.Result result) {
        long[] acks = new long[result.ackNanos().length()];
        int count = 0;
        for (int n = 0; n < acks.length; n++) {
            long ack = result.ackNanos().get(n);
            if (ack != 0) {
                acks[count++] = ack;
            }
        }
        acks = java.util.Arrays.copyOf(acks, count);
        java.util.Arrays.sort(acks);
        long horizon = killedAtNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(newLeaderMs, 0) + 1_000);
        long longestGap = -1;
        for (int i = 0; i + 1 < acks.length; i++) {
            if (acks[i + 1] > killedAtNanos && acks[i] <= horizon) {
                longestGap = Math.max(longestGap, acks[i + 1] - acks[i]);
            }
        }
        long unavailable = longestGap < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(longestGap);
        return new Failover(killed, newLeaderMs, unavailable, result.lost());
    }
}
