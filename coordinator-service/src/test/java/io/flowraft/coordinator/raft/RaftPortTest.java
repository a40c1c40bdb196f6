package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.alipay.remoting.serialization.SerializerManager;
import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.RaftServiceFactory;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.CliOptions;
import com.alipay.sofa.jraft.rpc.CliRequests.AddPeerRequest;
import com.alipay.sofa.jraft.rpc.RpcRequests.AppendEntriesRequest;
import com.alipay.sofa.jraft.rpc.impl.cli.CliClientServiceImpl;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.raft.ForwardCodec.Answer;
import io.flowraft.coordinator.raft.ForwardCodec.Kind;
import io.flowraft.coordinator.raft.ForwardCodec.Outcome;
import io.flowraft.coordinator.raft.ForwardCodec.Request;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.ReadConsistency;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Raft port as an attacker on the network meets it (docs/security-raft-port.md): bound to the configured
 * address only; Hessian payloads sent to it are never deserialized, whatever class they claim to be; forwarding
 * refuses requests without the cluster's MAC, replays and leader-only commands, proposing nothing; and
 * SOFAJRaft's CLI RPCs are not served while replication, elections and follower reads still work.
 */
class RaftPortTest {

    private RaftTestCluster cluster;
    private CliClientServiceImpl rpc;

    @AfterEach
    void tearDown() {
        if (rpc != null) {
            rpc.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
        HessianTrace.reset();
    }

    private static SubmitWorkflow submit(String id) {
        return new SubmitWorkflow(0, id, null, null, List.of(new TaskSpec("a", "work", List.of(), null, null,
                TriggerRule.ALL_SUCCESS, RetryPolicy.DEFAULT, TaskSpec.DEFAULT_TIMEOUT_MS, null)), "{}");
    }

    private boolean exists(int node, String workflowId) {
        return cluster.node(node).reader()
                .read(ReadConsistency.LINEARIZABLE, s -> s.workflows().containsKey(workflowId)).join();
    }

    private long appliedIndex(int node) {
        return cluster.node(node).admin().status().appliedIndex();
    }

    private ForwardCodec codec(String secret) {
        return new ForwardCodec(ClusterKey.of(RaftTestCluster.withSecret(cluster.properties(0), secret), ""));
    }

    private CliClientServiceImpl rpc() {
        if (rpc == null) {
            rpc = new CliClientServiceImpl();
            CliOptions options = new CliOptions();
            options.setTimeoutMs(5000);
            rpc.init(options);
        }
        return rpc;
    }

    /** Sends {@code frame} to node i as a {@link ForwardRequest} and reads the answer with the cluster's codec. */
    private Answer forward(int i, byte[] frame) throws Exception {
        Object response = rpc().getRpcClient().invokeSync(PeerId.parsePeer(cluster.address(i)).getEndpoint(),
                new ForwardRequest(frame), 5000);
        return codec(cluster.secret()).decodeAnswer(((ForwardResponse) response).frame(), frame);
    }

    private Request commandTo(int i, Command command, long sequence) {
        return new Request(Kind.COMMAND, "127.0.0.1:1", RaftNode.endpointOf(cluster.address(i)), System.currentTimeMillis(),
                4711, sequence, CommandCodec.encode(command));
    }

    @Test
    void shouldListenOnTheConfiguredAddressOnly() throws IOException {
        // given a node configured at 127.0.0.1:port, and another address of this machine
        Optional<InetAddress> other = nonLoopbackIpv4();
        assumeThat(other).as("a non-loopback IPv4 address on this machine").isPresent();
        cluster = new RaftTestCluster(1, 300).startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        int port = PeerId.parsePeer(cluster.address(0)).getPort();

        // then the configured address accepts a connection and the other refuses it
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            assertThat(socket.isConnected()).isTrue();
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(other.get(), port), 2000);
            }
        }).as("connecting to %s:%d", other.get().getHostAddress(), port).isInstanceOf(IOException.class);
    }

    @Test
    void shouldNeverDeserializeAHessianPayloadWhateverClassItClaims() throws Exception {
        // given a Hessian payload whose deserialization would leave a trace, as bolt's own Hessian would read it
        byte[] hessian = SerializerManager.getSerializer(SerializerManager.Hessian2).serialize(new HessianTrace());
        HessianTrace.reset();
        Object read = SerializerManager.getSerializer(SerializerManager.Hessian2).deserialize(hessian,
                HessianTrace.class.getName());
        assertThat(read).isInstanceOf(HessianTrace.class);
        assertThat(HessianTrace.traces()).as("the detector works").isPositive();
        HessianTrace.reset();
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        long applied = appliedIndex(leader);

        // when a raw bolt client sends it to the leader's Raft port claiming to be a forwarded request, the traced
        // class itself, a SOFAJRaft message, and a SOFAJRaft CLI request (whose processor is not registered)
        RawBolt.Response asForward = RawBolt.request(cluster.address(leader), ForwardRequest.class.getName(), hessian);
        RawBolt.Response asItself = RawBolt.request(cluster.address(leader), HessianTrace.class.getName(), hessian);
        RawBolt.Response asRaft = RawBolt.request(cluster.address(leader), AppendEntriesRequest.class.getName(), hessian);
        RawBolt.Response asCli = RawBolt.request(cluster.address(leader), AddPeerRequest.class.getName(), hessian);

        // then the forwarding processor refuses it as unauthenticated, in its own answer format
        assertThat(asForward.status()).isEqualTo(RawBolt.SUCCESS);
        assertThat(asForward.className()).isEqualTo(ForwardResponse.class.getName());
        Answer answer = codec(cluster.secret()).decodeAnswer(asForward.content(), hessian);
        assertThat(answer.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(answer.message()).contains("failed authentication");
        // and bolt answers the others with an error ("no processor" for a class nothing serves), or drops a SOFAJRaft
        // message without the header it needs, having handed no content to Hessian
        assertThat(asItself.status()).isNotEqualTo(RawBolt.SUCCESS).isNotEqualTo(RawBolt.NO_ANSWER);
        assertThat(new String(asItself.content(), StandardCharsets.ISO_8859_1)).contains("No user processor found");
        assertThat(asCli.status()).isNotEqualTo(RawBolt.SUCCESS).isNotEqualTo(RawBolt.NO_ANSWER);
        assertThat(asRaft.status()).isNotEqualTo(RawBolt.SUCCESS);
        // and the class was never built
        assertThat(HessianTrace.CONSTRUCTED.get()).isZero();
        assertThat(HessianTrace.RESOLVED.get()).isZero();
        assertThat(appliedIndex(leader)).isEqualTo(applied);
        // and the cluster still commits, through a follower too
        int follower = cluster.anyFollower(leader);
        assertThat(cluster.node(follower).gateway().submit(submit("wf-after")).join())
                .isEqualTo(new WorkflowSubmitted("wf-after", true));
    }

    @Test
    void shouldProposeNothingForAForwardedRequestWithoutTheClusterMac() throws Exception {
        // given a cluster, and a follower that holds another secret
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        long applied = appliedIndex(leader);
        String digest = cluster.node(leader).admin().status().stateDigest();
        String otherSecret = RaftTestCluster.randomSecret();
        RaftProperties p = cluster.properties(cluster.anyFollower(leader));
        ClusterKey wrong = ClusterKey.of(RaftTestCluster.withSecret(p, otherSecret), "");

        // when it forwards a submit to the leader
        try (LeaderForwarder forwarder = new LeaderForwarder(RaftNode.endpointOf(p.address()), wrong,
                System::currentTimeMillis, Runnable::run, 5000, 5000)) {
            assertThatThrownBy(() -> forwarder.forward(PeerId.parsePeer(cluster.address(leader)), submit("wf-forged"))
                    .join())
                    // then the answer cannot be trusted either (it is under the leader's secret)
                    .isInstanceOf(CompletionException.class).hasMessageContaining("failed authentication");
        }
        // and a frame with a MAC under the wrong secret, read with the right one, is refused
        Answer refused = forward(leader, codec(otherSecret).encode(commandTo(leader, submit("wf-forged"), 0)));
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refused.message()).contains("failed authentication");

        // and nothing was proposed: the workflow is absent and the state unchanged
        assertThat(exists(leader, "wf-forged")).isFalse();
        assertThat(appliedIndex(leader)).isEqualTo(applied);
        assertThat(cluster.node(leader).admin().status().stateDigest()).isEqualTo(digest);
    }

    @Test
    void shouldRefuseAReplayedRequestAndALeaderOnlyCommand() throws Exception {
        // given a cluster and a genuine forwarded submit that the leader committed
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        ForwardCodec codec = codec(cluster.secret());
        byte[] frame = codec.encode(commandTo(leader, submit("wf-once"), 0));
        assertThat(forward(leader, frame).outcome()).isEqualTo(Outcome.OK);
        long applied = appliedIndex(leader);

        // when the same bytes are sent again
        Answer replayed = forward(leader, frame);
        // or a request names another node as its recipient
        Answer misaddressed = forward(leader, codec.encode(commandTo(cluster.anyFollower(leader), submit("wf-else"), 1)));
        // or carries a command only the leader proposes
        Answer leaderOnly = forward(leader, codec.encode(commandTo(leader, new ExpireLeases(0), 2)));

        // then each is refused and nothing more was proposed
        assertThat(replayed.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(replayed.message()).contains("already accepted");
        assertThat(misaddressed.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(misaddressed.message()).contains("addressed to");
        assertThat(leaderOnly.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(leaderOnly.message()).contains("ExpireLeases is proposed by the leader itself");
        assertThat(exists(leader, "wf-else")).isFalse();
        assertThat(appliedIndex(leader)).isEqualTo(applied);
    }

    @Test
    void shouldForwardWithoutASecretOnlyInInsecureLocalMode() {
        // given a cluster without a secret in the default mode
        cluster = new RaftTestCluster(3, 300).withSecurity("", "").startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = cluster.anyFollower(leader);

        // then a follower refuses to forward, saying why, and nothing is proposed
        assertThatThrownBy(() -> cluster.node(follower).gateway().submit(submit("wf-refused")).join())
                .hasCauseInstanceOf(NoLeaderException.class).hasMessageContaining("flowraft.raft.cluster-secret is not set");
        assertThat(exists(leader, "wf-refused")).isFalse();
        // while the leader itself takes writes
        assertThat(cluster.node(leader).gateway().submit(submit("wf-local")).join())
                .isEqualTo(new WorkflowSubmitted("wf-local", true));

        // when the same cluster runs in insecure-local mode
        for (int i = 0; i < 3; i++) {
            cluster.halt(i);
        }
        cluster.withSecurity("", ClusterKey.INSECURE_LOCAL).startAll();
        int newLeader = cluster.awaitLeader(Duration.ofSeconds(10));

        // then forwarding works unauthenticated
        assertThat(cluster.node(cluster.anyFollower(newLeader)).gateway().submit(submit("wf-insecure")).join())
                .isEqualTo(new WorkflowSubmitted("wf-insecure", true));
    }

    @Test
    void shouldNotServeTheCliRpcsWhileReplicationElectionsAndFollowerReadsWork() throws Exception {
        // given a cluster
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = cluster.anyFollower(leader);
        Configuration members = new Configuration();
        members.parse(String.join(",", cluster.address(0), cluster.address(1), cluster.address(2)));
        PeerId intruder = new PeerId("127.0.0.1", FreePorts.next());
        CliOptions options = new CliOptions();
        options.setTimeoutMs(2000);
        options.setMaxRetry(0);
        CliService cli = RaftServiceFactory.createAndInitCliService(options);
        try {
            // when SOFAJRaft's CLI asks to add a voter, to reset a follower's membership, to move leadership
            Status added = cli.addPeer(cluster.groupId(), members, intruder);
            Status reset = cli.resetPeer(cluster.groupId(), PeerId.parsePeer(cluster.address(follower)),
                    new Configuration(List.of(PeerId.parsePeer(cluster.address(follower)))));
            Status moved = cli.transferLeader(cluster.groupId(), members, PeerId.parsePeer(cluster.address(follower)));
            // and an AddPeer request goes straight to the leader
            var direct = rpc().addPeer(PeerId.parsePeer(cluster.address(leader)).getEndpoint(),
                    AddPeerRequest.newBuilder().setGroupId(cluster.groupId()).setLeaderId(cluster.address(leader))
                            .setPeerId(intruder.toString()).build(), null);

            // then none is served, and the membership and leader are unchanged
            assertThat(added.isOk()).as(added.toString()).isFalse();
            assertThat(reset.isOk()).as(reset.toString()).isFalse();
            assertThat(moved.isOk()).as(moved.toString()).isFalse();
            assertThatThrownBy(() -> direct.get(5, TimeUnit.SECONDS))
                    .hasStackTraceContaining("No user processor found for request: " + AddPeerRequest.class.getName());
        } finally {
            cli.shutdown();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).admin().status().peers()).as("peers seen by node " + i)
                    .containsExactlyInAnyOrder(cluster.address(0), cluster.address(1), cluster.address(2));
        }
        assertThat(cluster.leader()).contains(leader);

        // and replication (AppendEntries), forwarding and follower reads (ReadIndex) work
        assertThat(cluster.node(follower).gateway().submit(submit("wf-1")).join())
                .isEqualTo(new WorkflowSubmitted("wf-1", true));
        assertThat(exists(3 - leader - follower, "wf-1")).isTrue();
        // and a leadership transfer (TimeoutNow) asked of a follower, which forwards it
        cluster.node(follower).admin().transferLeadership(cluster.address(follower)).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader().orElse(-1) == follower);
        // and an election (RequestVote) after the leader crashes
        cluster.halt(follower);
        int next = cluster.awaitLeader(Duration.ofSeconds(10));
        assertThat(next).isNotEqualTo(follower);
        assertThat(cluster.node(cluster.anyFollower(next)).gateway().submit(submit("wf-2")).join())
                .isEqualTo(new WorkflowSubmitted("wf-2", true));
    }

    private static Optional<InetAddress> nonLoopbackIpv4() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(RaftPortTest::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean up(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    /** A bolt client written from the protocol (RpcProtocol v1), so nothing of ours shapes the frame it sends. */
    static final class RawBolt {

        static final short SUCCESS = 0;
        /** The server closed the connection or sent nothing back within a few seconds. */
        static final short NO_ANSWER = -1;

        record Response(short status, String className, byte[] content) {
        }

        static Response request(String address, String className, byte[] content) throws IOException {
            PeerId peer = PeerId.parsePeer(address);
            int id = new SecureRandom().nextInt(1, Integer.MAX_VALUE);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(peer.getIp(), peer.getPort()), 2000);
                socket.setSoTimeout(3_000);
                byte[] clazz = className.getBytes(StandardCharsets.UTF_8);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeByte(1); // protocol: bolt RPC v1
                out.writeByte(1); // type: request
                out.writeShort(1); // command: RPC request
                out.writeByte(1); // command version
                out.writeInt(id);
                out.writeByte(SerializerManager.Hessian2);
                out.writeInt(5000); // timeout
                out.writeShort(clazz.length);
                out.writeShort(0); // header
                out.writeInt(content.length);
                out.write(clazz);
                out.write(content);
                out.flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                try {
                    return read(in, id);
                } catch (SocketTimeoutException | EOFException e) {
                    return new Response(NO_ANSWER, null, new byte[0]);
                }
            }
        }

        private static Response read(DataInputStream in, int id) throws IOException {
            while (true) {
                in.readByte(); // protocol
                in.readByte(); // type
                in.readShort(); // command
                in.readByte(); // version
                int answered = in.readInt();
                in.readByte(); // serializer
                short status = in.readShort();
                short classLength = in.readShort();
                short headerLength = in.readShort();
                int contentLength = in.readInt();
                byte[] name = in.readNBytes(classLength);
                in.readNBytes(headerLength);
                byte[] body = in.readNBytes(contentLength);
                if (answered == id) {
                    return new Response(status, new String(name, StandardCharsets.UTF_8), body);
                    }
                }
        }
    }
}
