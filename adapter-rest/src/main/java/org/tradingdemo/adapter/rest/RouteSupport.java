package org.tradingdemo.adapter.rest;

import java.util.List;

import io.javalin.http.Context;
import org.tradingdemo.app.port.in.FieldError;

/** Small helpers every route uses: the caller, its scopes, path ids and numeric query parameters. */
public final class RouteSupport {

    static final String PRINCIPAL = "principal";

    private RouteSupport() {
    }

    /** The authenticated caller (set by the auth filter); 401 when there is none. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw ApiError.unauthorized("a valid bearer token is required");
        }
        return p;
    }

    /** The caller, if it holds {@code scope} (or admin); 403 otherwise. */
    public static Principal require(Context ctx, Scope scope) {
        Principal p = principal(ctx);
        if (!p.has(scope)) {
            throw ApiError.forbidden("insufficient_scope", "this action needs the '" + scope.wire() + "' scope");
        }
        return p;
    }

    public static void authenticate(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL, principal);
    }

    /**
     * A path id as a typed id; an id that cannot exist is reported as not found, like any unknown id.
     */
    public static <T> T pathId(Context ctx, String name, java.util.function.Function<String, T> parse, String what) {
        try {
            return parse.apply(ctx.pathParam(name));
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound(what);
        }
    }

    /** An optional whole-number query parameter; non-numbers are a 400 naming the parameter. */
    public static Integer intQuery(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.validation(List.of(new FieldError(name, name + " must be a whole number")));
        }
    }
}
