package io.flowraft.coordinator.api.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error page ({@code /error}), which the servlet container forwards to for failures
 * outside Spring MVC (an exception in a filter, {@code sendError} from the container). Those too are answered
 * as problem+json, with the same rules as {@link ApiExceptionHandler}, instead of Boot's own error shape.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ProblemAnswers answers;

    public ProblemErrorController(ProblemAnswers answers) {
        this.answers = answers;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s ? s : request.getRequestURI();
        ApiError error = failure instanceof Throwable t ? ProblemClassifier.classify(t) : null;
        if (error == null && failure instanceof Throwable t) {
            log.error("Unexpected failure of {}", path, t);
            error = ProblemResponses.internal();
        }
        if (error == null) {
            int code = status instanceof Integer i ? i : 500;
            error = code >= 500 ? ProblemResponses.internal() : ApiError.ofStatus(code, null, HttpHeaders.EMPTY);
        }
        return answers.entity(error, path);
    }
}
