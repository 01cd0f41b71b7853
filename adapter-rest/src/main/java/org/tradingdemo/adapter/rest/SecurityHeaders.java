package org.tradingdemo.adapter.rest;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * CORS for the configured origins only, and the security headers every response carries.
 *
 * <p>CORS: with no {@link RestSettings#corsOrigins()} the plugin is not installed and no response
 * has any {@code Access-Control-*} header, so browsers keep the same-origin policy (the dashboard is
 * served from the API's own origin and needs none). With origins, Javalin's CORS plugin answers them;
 * preflights are then pinned to the methods and request headers the API actually uses (the plugin
 * alone would echo whatever a preflight asks for).
 *
 * <p>Headers: a strict {@code Content-Security-Policy} (only same-origin scripts, styles, images and
 * connections: pages such as {@code /docs} and the dashboard must load their scripts and styles from
 * this server, not inline nor from a CDN), {@code X-Content-Type-Options: nosniff},
 * {@code X-Frame-Options: DENY}, {@code Referrer-Policy: no-referrer}, and {@code Cache-Control: no-store}
 * on {@code /api/*} (responses carry tokens and account data). Set in a {@code before} handler, first
 * thing, so errors - 401, 404, 429, 500 - carry them too.
 */
public final class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
    /** Request headers a browser may send cross-origin. */
    public static final List<String> CORS_ALLOWED_HEADERS =
            List.of("Authorization", "Content-Type", "Idempotency-Key", RequestIds.HEADER);
    /** Response headers a cross-origin script may read. */
    public static final List<String> CORS_EXPOSED_HEADERS = List.of(RequestIds.HEADER, RateLimits.LIMIT,
            RateLimits.REMAINING, RateLimits.RESET, "Retry-After", "Location", "Idempotent-Replayed");
    static final String CORS_ALLOWED_METHODS = "GET, POST";
    /** Browsers may cache a preflight answer this long (seconds). */
    static final int CORS_MAX_AGE = 600;

    private SecurityHeaders() {
    }

    public static void configure(JavalinConfig config, RestSettings settings) {
        List<String> origins = settings.corsOrigins();
        if (origins.isEmpty()) {
            return;
        }
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
            rule.maxAge = CORS_MAX_AGE;
            // bearer tokens, not cookies: no credentials mode
            rule.allowCredentials = false;
            CORS_EXPOSED_HEADERS.forEach(rule::exposeHeader);
        }));
    }

    public static void register(Javalin app, RestSettings settings, ObjectMapper mapper) {
        boolean cors = !settings.corsOrigins().isEmpty();
        app.before(ctx -> {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
            if (AuthFilter.underApi(ctx.path())) {
                ctx.header("Cache-Control", "no-store");
            }
            if (cors) {
                undoRefusal(ctx);
                pinPreflight(ctx);
            }
        });
    }

    /**
     * For an origin it does not allow, Javalin's CORS plugin sets status 400 and lets the request go
     * on, so any route that does not set its status itself would answer 400 - even to the dashboard's
     * own same-origin POSTs, which carry an {@code Origin} header too. Undo that: CORS is enforced by
     * the browser, which will not let a script read a response without
     * {@code Access-Control-Allow-Origin}, and every API call needs an {@code Authorization} header,
     * which forces a preflight the browser sees refused.
     */
    private static void undoRefusal(Context ctx) {
        if (ctx.statusCode() == 400 && ctx.res().getHeader("Access-Control-Allow-Origin") == null) {
            ctx.status(200);
        }
    }

    /**
     * The CORS plugin (a before-handler registered ahead of this one) reflects the requested method and
     * headers of an allowed origin's preflight; replace them with what the API accepts, so a browser
     * refuses anything else.
     */
    private static void pinPreflight(Context ctx) {
        if (ctx.method() != HandlerType.OPTIONS) {
            return;
        }
        if (ctx.res().getHeader("Access-Control-Allow-Origin") == null) {
            // not an allowed origin: the plugin echoed these anyway; say nothing at all
            ctx.removeHeader("Access-Control-Allow-Methods");
            ctx.removeHeader("Access-Control-Allow-Headers");
            ctx.removeHeader("Access-Control-Max-Age");
            return;
        }
        if (ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", CORS_ALLOWED_METHODS);
        }
        if (ctx.header("Access-Control-Request-Headers") != null) {
            ctx.header("Access-Control-Allow-Headers", String.join(", ", CORS_ALLOWED_HEADERS));
        }
    }
}
