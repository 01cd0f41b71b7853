package org.tradingdemo.adapter.rest;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.javalin.http.Context;

/**
 * The {@code X-Request-Id} of a request: the caller's, when it is a sane token, else a new one.
 * Set first thing for every request, echoed on the response and put in the logging MDC.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** Assigns the request id (idempotent) and returns it. */
    public static String assign(Context ctx) {
        String existing = ctx.attribute(ATTRIBUTE);
        if (existing != null) {
            return existing;
        }
        String given = ctx.header(HEADER);
        // a request id needs to be unique, not unguessable: ThreadLocalRandom avoids SecureRandom's lock
        String id = given != null && SAFE.matcher(given).matches() ? given
                : new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong()).toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }

    public static String of(Context ctx) {
        return assign(ctx);
    }
}
