package org.tradingdemo.adapter.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operational endpoints, all public: {@code /health} (the process answers), {@code /ready}
 * (every dependency answers), {@code /metrics} (Prometheus text), {@code /openapi.json} (the API
 * document) and {@code /docs} (a readable page built from that document, with its script and style
 * at {@code /docs/app.js} and {@code /docs/style.css} so it runs under {@code default-src 'self'}).
 */
public final class OpsRoutes {

    public static final String OPENAPI_RESOURCE = "/openapi.json";
    public static final String DOCS_RESOURCES = "/docs/";
    /** The longest one readiness check may take before it counts as down. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String NO_STORE = "no-store";
    private static final String RETRY_AFTER_SECONDS = "5";

    private OpsRoutes() {
    }

    public static void register(Javalin app, List<ReadinessCheck> readiness, PrometheusMeterRegistry registry) {
        register(app, readiness, registry, CHECK_TIMEOUT);
    }

    static void register(Javalin app, List<ReadinessCheck> readiness, PrometheusMeterRegistry registry,
                         Duration checkTimeout) {
        Readiness ready = new Readiness(List.copyOf(readiness), checkTimeout);
        app.events(events -> events.serverStopped(ready::close));
        byte[] openApi = resource(OPENAPI_RESOURCE);
        byte[] docsPage = resource(DOCS_RESOURCES + "index.html");
        byte[] docsScript = resource(DOCS_RESOURCES + "app.js");
        byte[] docsStyle = resource(DOCS_RESOURCES + "style.css");

        app.get("/health", ctx -> {
            ctx.header("Cache-Control", NO_STORE);
            JsonSupport.respond(ctx, Map.of("status", "ok"));
        });
        app.get("/ready", ctx -> ready.answer(ctx));
        app.get("/metrics", ctx -> ctx.header("Cache-Control", NO_STORE)
                .contentType(PROMETHEUS_TEXT)
                .result(registry.scrape()));
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        app.get("/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(docsPage));
        app.get("/docs/app.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(docsScript));
        app.get("/docs/style.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(docsStyle));
    }

    /** A classpath resource read once at start; a missing one is a packaging bug and stops start-up. */
    static byte[] resource(String name) {
        try (InputStream in = OpsRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }

    /**
     * Runs the checks in parallel, each bounded by a timeout; a check that throws or overruns is
     * down. A check still running from an earlier call (a hung dependency) is not started again, so
     * a stuck dependency holds at most one thread per check however often {@code /ready} is polled.
     */
    static final class Readiness {

        private final List<ReadinessCheck> checks;
        private final Duration timeout;
        private final ExecutorService executor;
        private final Map<String, Future<Boolean>> running = new ConcurrentHashMap<>();

        Readiness(List<ReadinessCheck> checks, Duration timeout) {
            this.checks = checks;
            this.timeout = timeout;
            AtomicInteger n = new AtomicInteger();
            this.executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "readiness-check-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        void answer(Context ctx) {
            Map<String, String> results = run();
            boolean ready = results.values().stream().allMatch("up"::equals);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "ready" : "not_ready");
            body.put("checks", results);
            ctx.header("Cache-Control", NO_STORE);
            if (!ready) {
                ctx.status(503).header("Retry-After", RETRY_AFTER_SECONDS);
            }
            JsonSupport.respond(ctx, body);
        }

        Map<String, String> run() {
            Map<String, Future<Boolean>> started = new LinkedHashMap<>();
            for (ReadinessCheck check : checks) {
                started.put(check.name(), running.compute(check.name(), (name, previous) ->
                        previous != null && !previous.isDone() ? previous : executor.submit(() -> safely(check))));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<String, String> results = new LinkedHashMap<>();
            started.forEach((name, future) -> results.put(name, outcome(future, deadline)));
            return results;
        }

        private static boolean safely(ReadinessCheck check) {
            try {
                return check.isReady();
            } catch (RuntimeException e) {
                return false;
            }
        }

        private static String outcome(Future<Boolean> future, long deadline) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                return Boolean.TRUE.equals(future.get(left, TimeUnit.NANOSECONDS)) ? "up" : "down";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "down";
            } catch (Exception e) {
                return "down"; // timed out, or the check failed
            }
        }

        void close() {
            executor.shutdownNow();
        }
    }
}
