package io.flowraft.coordinator.api;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.coordinator.replication.CommandGateway;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tells every API client whether this coordinator leads ({@link FlowRaftHttp#ROLE}), so workers can stay
 * with the leader and spare each write the hop from a follower. Set before the request is handled: the role
 * may change by the time it is answered, which only costs a forward.
 */
final class RoleHeaderFilter extends OncePerRequestFilter {

    private final CommandGateway gateway;

    RoleHeaderFilter(CommandGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(FlowRaftHttp.ROLE, gateway.leads() ? FlowRaftHttp.ROLE_LEADER : FlowRaftHttp.ROLE_FOLLOWER);
        chain.doFilter(request, response);
    }
}
