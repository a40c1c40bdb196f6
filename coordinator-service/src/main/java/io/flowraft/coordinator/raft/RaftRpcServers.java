package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.rpc.ProtobufMsgFactory;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.rpc.impl.PingRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.AppendEntriesRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.GetFileRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.InstallSnapshotRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.ReadIndexRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.RequestVoteRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.TimeoutNowRequestProcessor;
import com.alipay.sofa.jraft.util.Endpoint;

/**
 * The Raft port of a coordinator: a bolt server bound to the configured address only (SOFAJRaft's own factory
 * binds the port on every interface), serving what a node needs from its peers and nothing more. Registered
 * processors, as SOFAJRaft's {@code RaftRpcServerFactory.addRaftRequestProcessors} registers them minus its CLI
 * service: AppendEntries (also heartbeats), RequestVote (also pre-votes), InstallSnapshot and GetFile (snapshot
 * install), TimeoutNow (leadership transfer), ReadIndex (linearizable reads on followers), Ping (the connection
 * check of SOFAJRaft's clients), and our authenticated forwarding. The CLI processors (AddPeer, RemovePeer,
 * ChangePeers, ResetPeer, TransferLeader, Snapshot, GetLeader, GetPeers, Add/Remove/ResetLearners) are left
 * out: membership goes through the leader's own node ({@link LeaderMembership}). See docs/security-raft-port.md.
 */
final class RaftRpcServers {

    private RaftRpcServers() {
    }

    /** A server not yet started ({@link RpcServer#init}), on {@code endpoint}'s host and port. */
    static RpcServer create(Endpoint endpoint, RpcProcessor<?> forwarding) {
        // The protobuf serializers of SOFAJRaft's messages, registered with bolt once per JVM.
        ProtobufMsgFactory.load();
        ForwardSerializer.register();
        // manageConnection = true as in SOFAJRaft's BoltRaftRpcFactory; the host is bound, not 0.0.0.0.
        RpcServer server = new BoltRpcServer(
                new com.alipay.remoting.rpc.RpcServer(endpoint.getIp(), endpoint.getPort(), true));
        AppendEntriesRequestProcessor appendEntries = new AppendEntriesRequestProcessor(null);
        server.registerConnectionClosedEventListener(appendEntries);
        server.registerProcessor(appendEntries);
        server.registerProcessor(new GetFileRequestProcessor(null));
        server.registerProcessor(new InstallSnapshotRequestProcessor(null));
        server.registerProcessor(new RequestVoteRequestProcessor(null));
        server.registerProcessor(new PingRequestProcessor(null));
        server.registerProcessor(new TimeoutNowRequestProcessor(null));
        server.registerProcessor(new ReadIndexRequestProcessor(null));
        server.registerProcessor(forwarding);
        return server;
    }
}
