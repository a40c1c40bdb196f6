package io.flowraft.coordinator.security;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.api.error.ApiError;
import io.flowraft.coordinator.api.error.ProblemAnswers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as {@code application/problem+json}, like every other error: {@code unauthorized} names the
 * {@code Authorization} header and what was wrong with it, {@code forbidden} the roles the endpoint needs and
 * those the principal has. Neither says whether a key exists for some other principal.
 */
final class ProblemSecurityAnswers implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String AUTHORIZATION = "Authorization";

    private final ProblemAnswers answers;

    ProblemSecurityAnswers(ProblemAnswers answers) {
        this.answers = answers;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        String header = request.getHeader(AUTHORIZATION);
        String detail;
        if (header == null || header.isBlank()) {
            detail = "Credentials required: send 'Authorization: Bearer <API key or JWT>'";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            detail = "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <API key or JWT>'";
        } else if (failure instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null
                && failure.getCause() != null) {
            // a JWT's own reason (expired, wrong issuer, bad signature); says nothing of other credentials
            detail = "Invalid bearer token: " + oauth.getError().getDescription();
        } else {
            detail = "Invalid bearer token: no API key or JWT accepted by this cluster matches it";
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        write(request, response, ApiError.of(ProblemType.UNAUTHORIZED, AUTHORIZATION, detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        Caller caller = authentication == null ? null : Caller.of(authentication);
        String needs = EndpointAccess.ruleFor(request).map(EndpointAccess.Rule::describe).orElse("another role");
        String has = caller == null || caller.roles().isEmpty() ? "none"
                : caller.roles().stream().map(Role::configName).sorted().collect(Collectors.joining(", "));
        String who = caller == null ? "This caller" : "Principal '" + caller.principal() + "'";
        write(request, response, ApiError.of(ProblemType.FORBIDDEN, AUTHORIZATION,
                request.getMethod() + " " + request.getRequestURI() + " needs role " + needs + "; " + who
                        + " has role " + has));
    }

    void write(HttpServletRequest request, HttpServletResponse response, ApiError error) throws IOException {
        answers.write(request, response, error);
    }
}
