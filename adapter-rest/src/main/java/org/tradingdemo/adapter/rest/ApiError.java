package org.tradingdemo.adapter.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.app.port.in.FieldError;

/**
 * An HTTP error answered as RFC 9457 problem+json by {@link ProblemJson}. Thrown by routes and
 * filters; carries everything the problem document needs and nothing from the server's internals.
 *
 * @param code       a stable machine-readable code ({@code validation_failed}, {@code insufficient_funds}, ...)
 * @param retryAfter sets {@code Retry-After} (429, 503)
 * @param extensions extra members of the problem document (e.g. {@code resetAt})
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final transient List<FieldError> errors;
    private final transient Optional<Duration> retryAfter;
    private final transient Map<String, Object> extensions;

    public ApiError(int status, String code, String title, String detail, List<FieldError> errors,
                    Optional<Duration> retryAfter, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.extensions = Map.copyOf(extensions);
    }

    public static ApiError of(int status, String code, String title, String detail) {
        return new ApiError(status, code, title, detail, List.of(), Optional.empty(), Map.of());
    }

    public static ApiError badRequest(String code, String detail, List<FieldError> errors) {
        return new ApiError(400, code, "Bad Request", detail, errors, Optional.empty(), Map.of());
    }

    public static ApiError validation(List<FieldError> errors) {
        return badRequest("validation_failed", "the request has invalid fields", errors);
    }

    public static ApiError unauthorized(String detail) {
        return of(401, "unauthorized", "Unauthorized", detail);
    }

    public static ApiError forbidden(String code, String detail) {
        return of(403, code, "Forbidden", detail);
    }

    public static ApiError notFound(String what) {
        return of(404, "not_found", "Not Found", what + " not found");
    }

    public static ApiError conflict(String code, String detail) {
        return of(409, code, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
