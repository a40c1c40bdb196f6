package io.flowraft.coordinator.api;

import io.flowraft.contracts.AddPeerRequest;
import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.TransferLeaderRequest;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.error.Quote;
import io.flowraft.coordinator.api.mapping.ClusterViews;
import io.flowraft.coordinator.replication.ClusterAdmin;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/cluster}: this node's view of the Raft group, membership, leadership transfer and snapshots
 * (admin). Membership changes run on the leader one at a time; each answers the cluster view once the change
 * is done.
 */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/cluster", produces = FlowRaftHttp.JSON)
public class ClusterController {

    /** A Raft peer id as jraft writes it: {@code host:port}, host a DNS name or an IPv4 address. */
    private static final Pattern PEER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?:[0-9]{1,5}");

    private final ClusterAdmin admin;
    private final ApiExecutor executor;

    public ClusterController(ClusterAdmin admin, ApiExecutor executor) {
        this.admin = admin;
        this.executor = executor;
    }

    @GetMapping
    public ClusterView status() {
        return ClusterViews.toView(admin.status());
    }

    /** Adds a voter; adding a member again does nothing. 200 with the new view. */
    @PostMapping("/peers")
    public CompletableFuture<ClusterView> addPeer(@RequestBody AddPeerRequest request) {
        String peer = peer(request.peer());
        return admin.addPeer(peer).thenApplyAsync(done -> status(), executor);
    }

    @DeleteMapping("/peers/{peer}")
    public CompletableFuture<ClusterView> removePeer(@PathVariable String peer) {
        return admin.removePeer(peer(peer)).thenApplyAsync(done -> status(), executor);
    }

    /**
     * 202: the transfer has started, and the view may still show the old leader; poll {@code GET /cluster}.
     * Without a body or peer, the leader picks the most up-to-date follower.
     */
    @PostMapping("/leader")
    public CompletableFuture<ResponseEntity<ClusterView>> transferLeadership(
            @RequestBody(required = false) TransferLeaderRequest request) {
        String peer = request == null || request.peer() == null ? null : peer(request.peer());
        return admin.transferLeadership(peer)
                .thenApplyAsync(done -> ResponseEntity.status(HttpStatus.ACCEPTED).body(status()), executor);
    }

    /**
     * Takes a Raft snapshot on this node now (which also lets SOFAJRaft truncate its log) and answers 200 once
     * it is saved; 503 {@code snapshot-failed} with {@code Retry-After} if the node is not running or the save
     * fails (another snapshot being saved or installed included).
     */
    @PostMapping("/snapshot")
    public CompletableFuture<SnapshotView> snapshot() {
        return admin.snapshot().thenApply(ClusterViews::toView);
    }

    private static String peer(String peer) {
        if (peer == null || !PEER.matcher(peer).matches() || !validPort(peer)) {
            throw ApiProblemException.invalid("peer", "Expected a peer as host:port (port 1-65535), but found "
                    + Quote.of(peer));
        }
        return peer;
    }

    private static boolean validPort(String peer) {
        int port = Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65_535;
    }
}
