package io.flowraft.coordinator.security;

import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/** A request authenticated by an API key (or, in {@code insecure-local} mode, by being local). */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String principal;
    private final Double perSecond;

    ApiKeyAuthentication(String principal, Collection<? extends GrantedAuthority> authorities, Double perSecond) {
        super(authorities);
        this.principal = principal;
        this.perSecond = perSecond;
        setAuthenticated(true);
    }

    /** The key's own rate limit, or {@code null} for its roles'. */
    Double perSecond() {
        return perSecond;
    }

    @Override
    public Object getCredentials() {
        // the key is not kept once it has been checked
        return "";
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal;
    }
}
