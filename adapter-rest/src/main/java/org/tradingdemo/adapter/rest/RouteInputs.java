package org.tradingdemo.adapter.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.Validation;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.model.UsagePeriod;

/**
 * Raw-input helpers of the route classes, so that a client learns every problem of a request at
 * once: errors found by the adapter itself (a non-numeric {@code limit}, a conflicting
 * {@code Idempotency-Key}) are merged with those of the command factory into one 400.
 */
final class RouteInputs {

    private RouteInputs() {
    }

    /**
     * An optional JSON body: none (or only whitespace) gives empty; anything else must be a valid
     * JSON object sent as {@code application/json}, read as strictly as a required body.
     */
    static <T extends Record> Optional<T> optionalBody(Context ctx, ObjectMapper mapper, Class<T> type) {
        if (JsonSupport.isBlank(JsonSupport.bodyBytes(ctx))) {
            return Optional.empty();
        }
        return Optional.of(JsonSupport.read(ctx, mapper, type));
    }

    /** The {@code limit} query parameter; a non-number is recorded in {@code errors} (and read as absent). */
    static Integer limit(Context ctx, List<FieldError> errors) {
        try {
            return RouteSupport.intQuery(ctx, "limit");
        } catch (ApiError e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /**
     * Runs a command or query factory; its field errors and those found earlier leave together as
     * one {@code validation_failed}.
     */
    static <T> T build(List<FieldError> earlier, Supplier<T> factory) {
        T built;
        try {
            built = factory.get();
        } catch (ValidationException e) {
            List<FieldError> all = new ArrayList<>(earlier);
            all.addAll(e.errors());
            throw ApiError.validation(all);
        }
        if (!earlier.isEmpty()) {
            throw ApiError.validation(earlier);
        }
        return built;
    }

    /** {@code ?period=daily|monthly}, daily when absent. */
    static UsagePeriod period(Context ctx) {
        Validation v = new Validation();
        Optional<UsagePeriod> period = v.optional("period", ctx.queryParam("period"), UsagePeriod::parse);
        v.throwIfInvalid();
        return period.orElse(UsagePeriod.DAILY);
    }

    /** 503 oversight_unavailable: the oversight service could not record the change; nothing changed here. */
    static ApiError oversightUnavailable(java.time.Duration retryAfter) {
        java.time.Duration retry = retryAfter == null ? java.time.Duration.ofSeconds(5) : retryAfter;
        return new ApiError(503, "oversight_unavailable", "Service Unavailable",
                "the oversight service could not be reached; nothing was changed; try again later",
                List.of(), java.util.Optional.of(retry), java.util.Map.of());
    }

    /**
     * A result variant no route maps: a bug (answered as a 500 without internals). Java 17 has no
     * exhaustive pattern-matching switch, so the *RoutesTest classes check, from the sealed
     * interfaces' permitted subclasses, that every variant has its mapping.
     */
    static IllegalStateException unmapped(Object result) {
        return new IllegalStateException("no HTTP mapping for result "
                + (result == null ? "null" : result.getClass().getName()));
    }
}
