package io.flowraft.coordinator.api.error;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * Answers every failure inside Spring MVC (our controllers, their futures, and Spring's own refusals: 404, 405,
 * 406, 415, unreadable bodies) as {@code application/problem+json}. One handler for all of them, so no
 * exception can escape to Spring Boot's default error body, which has another shape and may carry messages
 * from internals. What the handler answers is decided by {@link ProblemClassifier}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ProblemAnswers answers;

    public ApiExceptionHandler(ProblemAnswers answers) {
        this.answers = answers;
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> handle(Exception failure, HttpServletRequest request) {
        if (ProblemClassifier.unwrap(failure) instanceof AsyncRequestNotUsableException) {
            // The client went away: there is nobody to answer.
            return null;
        }
        ApiError error = answerFor(failure, request.getMethod() + " " + request.getRequestURI());
        return answers.entity(error, request.getRequestURI());
    }

    /**
     * The problem to answer for {@code failure}, logged as its status deserves: an unexpected failure as an
     * error with its stack trace (the answer says it was logged), a 5xx as a warning. {@code where} names the
     * request, or the part of it, that failed.
     */
    public static ApiError answerFor(Throwable failure, String where) {
        ApiError error = ProblemClassifier.classify(failure);
        if (error == null) {
            log.error("Unexpected failure of {}", where, failure);
            return ProblemResponses.internal();
        }
        if (error.status() >= 500) {
            log.warn("{} answered {}: {}", where, error.status(), error.detail());
        } else {
            log.debug("{} answered {}: {}", where, error.status(), error.detail());
        }
        return error;
    }
}
