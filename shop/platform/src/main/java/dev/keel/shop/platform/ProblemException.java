package dev.keel.shop.platform;

import java.util.List;

import dev.keel.core.NonTransientException;

/**
 * Thrown by a request handler to answer with a {@link Problem}; the chassis turns it into an
 * {@code application/problem+json} response and nothing the request did is kept (handlers do their
 * writes in one transaction, which the exception rolls back).
 */
public final class ProblemException extends NonTransientException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(Problem.notFound(what, String.valueOf(id)));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.validation(message, List.of(new Problem.FieldError(field, message))));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.conflict(detail));
    }

    public static ProblemException unprocessable(String slug, String title, String detail) {
        return new ProblemException(Problem.unprocessable(slug, title, detail));
    }
}
