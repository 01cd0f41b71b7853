package org.tradingdemo.adapter.rest;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The first thing every request goes through: its {@code X-Request-Id} (echoed on every response,
 * 404 and 500 included), the {@code requestId} in the logging MDC for the request's log lines, and
 * one access-log line (logger {@code access}) when it is answered.
 *
 * <p>The access line holds the method, the route <em>template</em> ({@code /api/v1/agents/{id}},
 * {@code unmatched} when no route matched), the path without its query string, the status, the
 * duration and the request id - never a query string (the WebSocket token travels in one), a body
 * or a header value.
 *
 * <p>Javalin 6 runs a request's before handlers, route, exception/error handlers and after handlers
 * on one Jetty thread, and runs after handlers even when an earlier stage threw. So the MDC is put
 * by the first before handler and removed by the first after handler, in a {@code finally}; the
 * before handler overwrites whatever a previous request on the same pooled thread might have left,
 * and the after handler puts the id back first in case a stage finished on another thread.
 */
public final class RequestLogging {

    /** MDC key of the request id; the log patterns print it as {@code %X{requestId}}. */
    public static final String MDC_KEY = "requestId";
    /** Logger name of the access log, so it can be routed or silenced on its own. */
    public static final String ACCESS_LOGGER = "access";

    private static final Logger access = LoggerFactory.getLogger(ACCESS_LOGGER);
    private static final String STARTED = "requestLogging.startedNanos";
    private static final int MAX_LOGGED_PATH = 200;

    private RequestLogging() {
    }

    public static void register(Javalin app) {
        RouteTemplates routes = RouteTemplates.of(app);
        app.before(ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            MDC.put(MDC_KEY, RequestIds.assign(ctx));
        });
        app.after(ctx -> {
            try {
                MDC.put(MDC_KEY, RequestIds.assign(ctx));
                logAccess(ctx, routes);
            } catch (RuntimeException e) {
                // the answer is already decided; a failing log line must not turn it into a 500
            } finally {
                MDC.remove(MDC_KEY);
            }
        });
    }

    private static void logAccess(Context ctx, RouteTemplates routes) {
        if (!access.isInfoEnabled()) {
            return;
        }
        Long started = ctx.attribute(STARTED);
        long micros = started == null ? 0 : (System.nanoTime() - started) / 1_000;
        String durationMs = micros / 1000 + "." + String.format("%03d", micros % 1000);
        String method = ctx.method().name();
        String route = routes.templateOf(ctx);
        int status = ctx.statusCode();
        String path = safePath(ctx.path());
        String requestId = RequestIds.of(ctx);
        access.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("route", route)
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", durationMs)
                .addKeyValue("requestId", requestId)
                .log("method={} route={} path={} status={} durationMs={} requestId={}",
                        method, route, path, status, durationMs, requestId);
    }

    /** The path as sent, minus anything that could forge a log line, and bounded. */
    static String safePath(String path) {
        if (path == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_LOGGED_PATH + 3));
        for (int i = 0; i < path.length() && out.length() < MAX_LOGGED_PATH; i++) {
            char c = path.charAt(i);
            out.append(c < 0x20 || c == 0x7f || Character.isWhitespace(c) ? '_' : c);
        }
        if (path.length() > MAX_LOGGED_PATH) {
            out.append("...");
        }
        return out.toString();
    }
}
