package org.tradingdemo.adapter.rest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Bearer-token authentication of every route that is not public.
 *
 * <p>Runs as a {@code beforeMatched} handler, i.e. only for requests that some route (or a static
 * file) will answer: an unknown path is a 404 for everyone, anonymous callers included. That
 * reveals nothing the public {@code /openapi.json} does not already say, and it keeps 404/405
 * meaning "no such route" rather than "log in first".
 *
 * <p>Deny by default: every matched route needs a valid token unless its method and path template
 * are in {@link #PUBLIC_ENDPOINTS} (or it is a GET under {@link #PUBLIC_GET_PREFIXES}); a new
 * non-API route must be listed there to be reachable without a token. Static files (the dashboard's
 * assets) are public, except under {@code /api/}, where everything but the login needs a token
 * whatever answers it.
 *
 * <p>No token, a token that is not {@code Bearer <compact JWS>}, or one {@link JwtTokens#verify}
 * refuses: 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer} (plus
 * {@code error="invalid_token"} when a token was given, as RFC 6750 §3 asks). A valid token:
 * the principal is attached for {@link RouteSupport#principal}.
 */
public final class AuthFilter {

    /** The endpoints anyone may call, as {@code "METHOD /path-template"}. HEAD counts as GET. */
    public static final Set<String> PUBLIC_ENDPOINTS = Set.of(
            "POST " + RestApi.PREFIX + "/auth/login",
            "GET /health",
            "GET /ready",
            "GET /metrics",
            "GET /openapi.json",
            "GET /docs",
            "GET /",
            // the WebSocket adapter checks its own ?token= before upgrading
            "GET /ws");
    /** Path templates under which every GET is public: the assets of the {@code /docs} page. */
    public static final List<String> PUBLIC_GET_PREFIXES = List.of("/docs/");

    static final String CHALLENGE = "Bearer";
    static final String CHALLENGE_INVALID = "Bearer error=\"invalid_token\"";
    private static final String BEARER = "bearer ";

    private AuthFilter() {
    }

    public static void register(Javalin app, JwtTokens tokens, ObjectMapper mapper) {
        app.beforeMatched(ctx -> {
            if (isPublic(ctx)) {
                return;
            }
            // thrown: the exception mapper writes the problem and Javalin skips the remaining
            // before-handlers and the route, while after-handlers (headers, logs) still run
            RouteSupport.authenticate(ctx, authenticate(ctx, tokens));
        });
    }

    /** The caller named by the request's bearer token; a 401 {@link ApiError} otherwise. */
    static Principal authenticate(Context ctx, JwtTokens tokens) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", CHALLENGE);
            throw ApiError.unauthorized("a bearer token is required: Authorization: Bearer <token>");
        }
        Optional<Principal> principal = bearerToken(header).flatMap(tokens::verify);
        if (principal.isEmpty()) {
            ctx.header("WWW-Authenticate", CHALLENGE_INVALID);
            throw ApiError.unauthorized("the bearer token is missing, malformed, expired or not valid here");
        }
        return principal.get();
    }

    /** {@code Bearer <token>}: the scheme is case-insensitive (RFC 9110 §11.1), the token one word. */
    static Optional<String> bearerToken(String header) {
        String trimmed = header.strip();
        if (trimmed.length() <= BEARER.length()
                || !trimmed.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        String token = trimmed.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < token.length(); i++) {
            if (Character.isWhitespace(token.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(token);
    }

    /** Whether the matched request may go through without a token. */
    static boolean isPublic(Context ctx) {
        String method = ctx.method() == HandlerType.HEAD ? "GET" : ctx.method().name();
        // for a matched route Javalin has set the route's own type and path template by now
        boolean route = ctx.handlerType().isHttpMethod();
        String path = route ? ctx.endpointHandlerPath() : ctx.path();
        if (PUBLIC_ENDPOINTS.contains(method + " " + path)
                || method.equals("GET") && PUBLIC_GET_PREFIXES.stream().anyMatch(path::startsWith)) {
            return true;
        }
        if (route) {
            return false;
        }
        // a static file, or HEAD of a GET route: public outside the API only
        return !underApi(ctx.path());
    }

    /** Whether a request path is in the API's namespace ({@code /api}, any case, extra leading slashes). */
    static boolean underApi(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.startsWith("//")) {
            p = p.substring(1);
        }
        return p.equals("/api") || p.startsWith("/api/");
    }
}
