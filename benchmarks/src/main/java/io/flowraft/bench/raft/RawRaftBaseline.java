package io.flowraft.bench.raft;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import io.flowraft.contracts.local.FreePorts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The raw SOFAJRaft baseline FlowRaft's engine cost is measured against: three nodes in this JVM on loopback,
 * the same Raft options as the coordinator (fsync on), committing no-op entries of a given size with a given
 * number in flight, through a state machine that only counts. Run it with {@code ./flowraft bench raft}.
 *
 * <p>Arguments: {@code [inFlight=1000] [entryBytes=200] [seconds=10]}. Prints commits/s and commit latency
 * percentiles, measured from {@code Node.apply} to the leader's closure.
 */
public final class RawRaftBaseline {

    /** Counts applied entries; answers the leader's closures. */
    private static final class CountingStateMachine extends StateMachineAdapter {
        final AtomicLong applied = new AtomicLong();
        volatile long leaderTerm = -1;

        @Override
        public void onApply(Iterator it) {
            while (it.hasNext()) {
                applied.incrementAndGet();
                if (it.done() != null) {
                    it.done().run(Status.OK());
                }
                it.next();
            }
        }

        @Override
        public void onLeaderStart(long term) {
            leaderTerm = term;
        }

        @Override
        public void onLeaderStop(Status status) {
            leaderTerm = -1;
        }
    }

    private RawRaftBaseline() {
    }

    /**
     * One measurement: commits per second and commit latency (microseconds) over {@code duration}, after 2 s of
     * warm-up, with {@code inFlight} entries of {@code entryBytes} bytes outstanding at all times.
     */
    public record Result(int inFlight, int entryBytes, double seconds, long commits, long failed,
            Histogram latencyMicros) {

        public double commitsPerSecond() {
            return commits / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int entryBytes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Result result = measure(inFlight, entryBytes, Duration.ofSeconds(seconds));
        Histogram histogram = result.latencyMicros();
        System.out.printf("raw SOFAJRaft baseline: 3 nodes in one JVM, %d in flight, %d-byte entries, fsync on%n",
                inFlight, entryBytes);
        System.out.printf("  commits/s   %.0f  (%d commits in %.1f s, %d failed)%n", result.commitsPerSecond(),
                result.commits(), result.seconds(), result.failed());
        System.out.printf("  latency us  p50 %d  p90 %d  p99 %d  max %d%n", histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99), histogram.getMaxValue());
        System.exit(0);
    }

    /** Starts 3 nodes in this JVM, measures, stops them and deletes their data. */
    public static Result measure(int inFlight, int entryBytes, Duration duration) throws Exception {
        System.setProperty("logback.middleware.log.disable", "true");
        // SOFAJRaft's generated protobuf classes predate protobuf 22; the warning is about them, not about us.
        System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true");
        Path root = Files.createTempDirectory("flowraft-raw-raft");
        List<RaftGroupService> groups = new ArrayList<>();
        List<CountingStateMachine> machines = new ArrayList<>();
        try {
            List<String> peers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                peers.add("127.0.0.1:" + FreePorts.next());
            }
            Configuration conf = new Configuration();
            conf.parse(String.join(",", peers));
            for (int i = 0; i < 3; i++) {
                CountingStateMachine fsm = new CountingStateMachine();
                NodeOptions options = new NodeOptions();
                options.setFsm(fsm);
                options.setInitialConf(conf);
                options.setElectionTimeoutMs(1000);
                Path dir = root.resolve("node" + i);
                options.setLogUri(Files.createDirectories(dir.resolve("log")).toString());
                options.setRaftMetaUri(Files.createDirectories(dir.resolve("raft_meta")).toString());
                options.setSnapshotUri(Files.createDirectories(dir.resolve("snapshot")).toString());
                RaftOptions raftOptions = new RaftOptions();
                raftOptions.setSync(true);
                options.setRaftOptions(raftOptions);
                RaftGroupService group = new RaftGroupService("raw-baseline", PeerId.parsePeer(peers.get(i)), options);
                group.start();
                groups.add(group);
                machines.add(fsm);
            }
            int leader = awaitLeader(groups, machines);
            Node node = groups.get(leader).getRaftNode();
            long term = machines.get(leader).leaderTerm;
            byte[] payload = new byte[entryBytes];
            Semaphore window = new Semaphore(inFlight);
            Recorder latency = new Recorder(3);
            AtomicLong committed = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long end = warmupEnd + duration.toNanos();
            long measuredFrom = -1;
            long committedAtStart = 0;
            while (System.nanoTime() < end) {
                if (measuredFrom < 0 && System.nanoTime() >= warmupEnd) {
                    measuredFrom = System.nanoTime();
                    committedAtStart = committed.get();
                    latency.reset();
                }
                window.acquire();
                long sent = System.nanoTime();
                node.apply(new Task(ByteBuffer.wrap(payload), status -> {
                    if (status.isOk()) {
                        committed.incrementAndGet();
                        latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
                    } else {
                        failed.incrementAndGet();
                    }
                    window.release();
                }, term));
            }
            window.acquire(inFlight); // drain
            double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
            return new Result(inFlight, entryBytes, elapsed, committed.get() - committedAtStart, failed.get(),
                    latency.getIntervalHistogram());
        } finally {
            for (RaftGroupService group : groups) {
                group.shutdown();
            }
            for (RaftGroupService group : groups) {
                group.join();
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int awaitLeader(List<RaftGroupService> groups, List<CountingStateMachine> machines)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < groups.size(); i++) {
                if (machines.get(i).leaderTerm > 0) {
                    return i;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("No leader within 30 s");
    }
}
