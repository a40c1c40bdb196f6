package io.flowraft.coordinator.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In {@code insecure-local} mode, every request acts as principal {@value Caller#LOCAL} with every role, so
 * leases still have an owner and views still show what an admin sees. Any {@code Authorization} header is
 * ignored: a CLI or worker configured with a key works against a local cluster as it is.
 */
final class LocalCallerFilter extends OncePerRequestFilter {

    private static final ApiKeyAuthentication LOCAL = new ApiKeyAuthentication(Caller.LOCAL,
            Arrays.stream(Role.values()).map(Role::authority).toList(), null);

    // Asynchronous answers (submit, long polls) and error pages are dispatched again through the chain, which
    // authorizes every dispatch: the local caller must be there each time.
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(LOCAL);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

}
