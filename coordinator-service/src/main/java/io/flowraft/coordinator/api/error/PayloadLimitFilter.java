package io.flowraft.coordinator.api.error;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the configured size with 413 {@code payload-too-large} before anything
 * buffers them (OWASP API4). A declared {@code Content-Length} over the limit is refused before a byte is
 * read; a body without one (chunked) is counted as it streams and refused once it passes the limit. Bodies
 * are replicated to every coordinator and held in memory, so this is a bound on memory, not a courtesy.
 */
public final class PayloadLimitFilter extends OncePerRequestFilter {

    private final long limitBytes;
    private final ProblemAnswers answers;

    public PayloadLimitFilter(long limitBytes, ProblemAnswers answers) {
        this.limitBytes = limitBytes;
        this.answers = answers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limitBytes) {
            refuse(request, response);
            return;
        }
        try {
            chain.doFilter(new LimitedBodyRequest(request, limitBytes), response);
        } catch (IOException | ServletException | RuntimeException e) {
            // Controllers' failures are answered by ApiExceptionHandler; this catches a body read outside MVC.
            if (isTooLarge(e) && !response.isCommitted()) {
                response.reset();
                refuse(request, response);
                return;
            }
            throw e;
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiError error = ProblemClassifier.classify(new PayloadTooLargeException(limitBytes));
        // The unread rest of the body makes the connection unusable for another request.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        answers.write(request, response, error);
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
