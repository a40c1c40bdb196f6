package io.flowraft.coordinator.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Authenticates the token of {@code Authorization: Bearer <token>}: an API key if one matches, else a JWT when
 * a key source for JWTs is configured and the token has a JWT's shape. A token that is neither is refused
 * without saying which it was meant to be.
 */
final class BearerAuthentication implements AuthenticationManager {

    private final ApiKeys apiKeys;
    private final JwtAuthenticationProvider jwts;

    BearerAuthentication(ApiKeys apiKeys, JwtDecoder jwtDecoder, SecurityProperties.Jwt jwt) {
        this.apiKeys = apiKeys;
        if (jwtDecoder == null) {
            this.jwts = null;
        } else {
            JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
            converter.setPrincipalClaimName(jwt.principalClaim());
            converter.setJwtGrantedAuthoritiesConverter(new ClaimRoles(jwt.rolesClaim()));
            this.jwts = new JwtAuthenticationProvider(jwtDecoder);
            this.jwts.setJwtAuthenticationConverter(converter);
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            throw new InvalidBearerTokenException("Not a bearer token");
        }
        String token = bearer.getToken();
        var key = apiKeys.authenticate(token);
        if (key.isPresent()) {
            return key.get();
        }
        if (jwts != null && looksLikeJwt(token)) {
            try {
                return jwts.authenticate(bearer);
            } catch (OAuth2AuthenticationException e) {
                throw e;
            } catch (AuthenticationException e) {
                throw new InvalidBearerTokenException(e.getMessage(), e);
            }
        }
        throw new InvalidBearerTokenException("No API key or JWT accepted by this cluster matches the token");
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** Roles from a claim: a list of names, or one string of names separated by spaces or commas. */
    static final class ClaimRoles implements Converter<Jwt, Collection<GrantedAuthority>> {

        private final String[] path;

        ClaimRoles(String claim) {
            this.path = claim.split("\\.");
        }

        @Override
        public Collection<GrantedAuthority> convert(Jwt jwt) {
            Object value = jwt.getClaims();
            for (String step : path) {
                value = value instanceof java.util.Map<?, ?> map ? map.get(step) : null;
            }
            List<String> names = new ArrayList<>();
            if (value instanceof Collection<?> list) {
                list.forEach(v -> names.add(String.valueOf(v)));
            } else if (value instanceof String text) {
                names.addAll(List.of(text.split("[\\s,]+")));
            }
            return names.stream().map(Role::parse).filter(r -> r != null).distinct().map(Role::authority).toList();
        }
    }

}
