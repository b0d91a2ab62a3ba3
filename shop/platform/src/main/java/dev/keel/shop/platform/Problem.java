package dev.keel.shop.platform;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem detail: every error response of every Shop service has this shape and the
 * content type {@code application/problem+json}.
 *
 * @param type          a URI reference naming the kind of problem, e.g. {@code /problems/validation}
 * @param title         a short summary of the kind, the same for every occurrence
 * @param status        the HTTP status
 * @param detail        what went wrong this time, in words a client developer can act on
 * @param instance      the request path
 * @param correlationId the request's correlation id, to find it in logs
 * @param errors        one entry per invalid field, for validation problems; empty otherwise
 */
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        @Nullable String instance,
        @Nullable String correlationId,
        List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** One invalid input field: where ({@code $.lines[0].quantity}) and why. */
    public record FieldError(String field, String message) {
    }

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, null, null, List.of());
    }

    public static Problem validation(String detail, List<FieldError> errors) {
        return new Problem("/problems/validation", "Invalid request", 400, detail, null, null, errors);
    }

    public static Problem badRequest(String detail) {
        return of(400, "bad-request", "Bad request", detail);
    }

    public static Problem notFound(String what, String id) {
        return of(404, "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static Problem conflict(String detail) {
        return of(409, "conflict", "Conflict", detail);
    }

    public static Problem unprocessable(String slug, String title, String detail) {
        return of(422, slug, title, detail);
    }

    public static Problem unavailable(String detail) {
        return of(503, "unavailable", "Service unavailable", detail);
    }

    public Problem at(String path, @Nullable String correlation) {
        return new Problem(type, title, status, detail, path, correlation, errors);
    }
}
