package org.tradingdemo.adapter.rest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * The route template that answered a request ({@code /api/v1/agents/{id}}), for metrics tags and
 * the access log: bounded in number, never a raw path or id.
 *
 * <p>Javalin's {@code ctx.endpointHandlerPath()} names the last handler path it matched, which for a
 * request that matched no endpoint is the path of a before handler ({@code *}). So the templates of
 * real endpoints are collected as they are added, and anything else is reported as
 * {@link #UNMATCHED}. Create it before the routes are added (it listens for them).
 */
final class RouteTemplates {

    static final String UNMATCHED = "unmatched";

    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();

    private RouteTemplates() {
    }

    static RouteTemplates of(Javalin app) {
        RouteTemplates templates = new RouteTemplates();
        app.events(events -> events.handlerAdded(meta -> {
            if (meta.getHttpMethod().isHttpMethod()) {
                templates.endpoints.add(key(meta.getHttpMethod(), meta.getPath()));
            }
        }));
        return templates;
    }

    /** The template of the endpoint that handled the request, or {@code unmatched}. */
    String templateOf(Context ctx) {
        String path;
        try {
            path = ctx.endpointHandlerPath();
        } catch (IllegalStateException notAvailable) {
            return UNMATCHED;
        }
        if (path == null) {
            return UNMATCHED;
        }
        HandlerType method = ctx.method();
        boolean known = endpoints.contains(key(method, path))
                // Javalin answers HEAD with the GET handler when there is no HEAD one
                || method == HandlerType.HEAD && endpoints.contains(key(HandlerType.GET, path));
        return known ? path : UNMATCHED;
    }

    private static String key(HandlerType method, String path) {
        return method.name() + ' ' + path;
    }
}
