package org.tradingdemo.adapter.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.OversightUnavailableException;

/**
 * Every error leaves as RFC 9457 {@code application/problem+json}:
 * {@code {type, title, status, detail, code, errors[], requestId, instance}}. A 500 is a bug: it
 * is logged with its stack trace and answered with the request id only - never internals.
 */
public final class ProblemJson {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(ProblemJson.class);

    private ProblemJson() {
    }

    public static void register(Javalin app, ObjectMapper mapper) {
        app.exception(ApiError.class, (e, ctx) -> write(ctx, mapper, e));
        app.exception(ValidationException.class, (e, ctx) -> write(ctx, mapper, ApiError.validation(e.errors())));
        app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, mapper, fromJavalin(e)));
        // a dependency that is down on a path whose use case has no result for it (the usage report reads
        // its quota figures from metering): 503 with Retry-After, like the trade path - never a 500
        app.exception(MeteringUnavailableException.class, (e, ctx) -> {
            log.warn("{} {}: metering unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
            write(ctx, mapper, unavailable("metering_unavailable", "the metering service", e.retryAfter()));
        });
        app.exception(OversightUnavailableException.class, (e, ctx) -> {
            log.warn("{} {}: oversight unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
            write(ctx, mapper, unavailable("oversight_unavailable", "the oversight service", e.retryAfter()));
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, mapper, ApiError.of(500, "internal_error", "Internal Server Error",
                    "an unexpected error occurred; quote the requestId when reporting it"));
        });
        app.error(404, ctx -> {
            if (!isProblem(ctx)) {
                write(ctx, mapper, ApiError.of(404, "not_found", "Not Found", "no such resource: " + ctx.path()));
            }
        });
        app.error(405, ctx -> {
            if (!isProblem(ctx)) {
                write(ctx, mapper, ApiError.of(405, "method_not_allowed", "Method Not Allowed",
                        ctx.method() + " is not allowed on " + ctx.path()));
            }
        });
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(CONTENT_TYPE);
    }

    private static ApiError unavailable(String code, String dependency, Duration retryAfter) {
        return new ApiError(503, code, "Service Unavailable", dependency + " could not be reached; try again later",
                List.of(), Optional.of(retryAfter == null ? Duration.ofSeconds(5) : retryAfter), Map.of());
    }

    private static ApiError fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        return switch (status) {
            case 413 -> ApiError.of(413, "payload_too_large", "Payload Too Large", "the request body is too large");
            case 404 -> ApiError.of(404, "not_found", "Not Found", "no such resource");
            case 405 -> ApiError.of(405, "method_not_allowed", "Method Not Allowed", "method not allowed");
            case 400 -> ApiError.badRequest("bad_request", "the request could not be understood", List.of());
            default -> status >= 500
                    ? ApiError.of(500, "internal_error", "Internal Server Error", "an unexpected error occurred")
                    : ApiError.of(status, "http_" + status, "HTTP " + status, "the request was refused");
        };
    }

    /** Writes the problem document; also used by filters that answer before any route runs. */
    public static void write(Context ctx, ObjectMapper mapper, ApiError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://trading-demo.dev/problems/" + e.code());
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("code", e.code());
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError f : e.errors()) {
            errors.add(Map.of("field", f.field(), "message", f.message()));
        }
        body.put("errors", errors);
        body.put("requestId", RequestIds.of(ctx));
        body.put("instance", ctx.path());
        e.extensions().forEach(body::putIfAbsent);
        e.retryAfter().ifPresent(d -> ctx.header("Retry-After", String.valueOf(Math.max(1, (d.toMillis() + 999) / 1000))));
        ctx.status(e.status());
        ctx.contentType(CONTENT_TYPE);
        try {
            ctx.result(mapper.writeValueAsString(body));
        } catch (JsonProcessingException impossible) {
            ctx.result("{\"status\":" + e.status() + ",\"code\":\"" + e.code() + "\"}");
        }
    }
}
