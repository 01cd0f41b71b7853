package org.tradingdemo.adapter.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /metrics} shows about the API, in Prometheus names:
 * <ul>
 *   <li>{@code http_server_requests_seconds} - a histogram (with {@code _bucket}s) of every request,
 *       tagged {@code method}, {@code route} (the route <em>template</em>, {@code unmatched} when no
 *       route matched: never a raw path, so the number of series stays bounded), {@code status} and
 *       {@code outcome} ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, ...);</li>
 *   <li>{@code trades_submitted_total{outcome}} - trade submissions by outcome, counted by the trade
 *       route through {@link #tradeOutcome};</li>
 *   <li>{@code quota_refusals_total} - submissions refused with {@code quota_exceeded};</li>
 *   <li>{@code oversight_pending_requests} - registered by the launcher with
 *       {@link #pendingApprovalsGauge};</li>
 *   <li>JVM memory, GC, threads, CPU and uptime.</li>
 * </ul>
 */
public final class ApiMetrics {

    public static final String REQUESTS = "http.server.requests";
    public static final String TRADES_SUBMITTED = "trades.submitted";
    public static final String QUOTA_REFUSALS = "quota.refusals";
    public static final String PENDING_APPROVALS = "oversight.pending.requests";
    public static final String QUOTA_EXCEEDED = "quota_exceeded";

    private static final Logger log = LoggerFactory.getLogger(ApiMetrics.class);
    private static final String STARTED = "apiMetrics.startedNanos";
    /** Outcomes are code-defined words; anything else is folded into "other" so tags stay bounded. */
    private static final Pattern OUTCOME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private final PrometheusMeterRegistry registry;
    private final Counter quotaRefusals;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> tradeOutcomes = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    public ApiMetrics(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.quotaRefusals = Counter.builder(QUOTA_REFUSALS)
                .description("Trade submissions refused because the agent's quota is used up")
                .register(registry);
    }

    /**
     * Times every request (registered right after the request id, so it sees every request) and
     * binds the JVM metrics for the life of the server.
     */
    public void register(Javalin app) {
        JvmGcMetrics gc = new JvmGcMetrics();
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ProcessorMetrics(), new UptimeMetrics())) {
            binder.bindTo(registry);
        }
        closeables.add(gc); // holds JMX notification listeners until closed
        RouteTemplates routes = RouteTemplates.of(app);
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(ctx -> {
            try {
                record(ctx, routes);
            } catch (RuntimeException e) {
                log.warn("could not record request metrics", e); // never fail a request over a metric
            }
        });
        app.events(events -> events.serverStopped(this::close));
    }

    private void record(Context ctx, RouteTemplates routes) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        long nanos = System.nanoTime() - started;
        String method = ctx.method().name();
        String route = routes.templateOf(ctx);
        int status = ctx.statusCode();
        String key = method + ' ' + route + ' ' + status;
        timers.computeIfAbsent(key, k -> Timer.builder(REQUESTS)
                        .description("HTTP requests by method, route template, status and outcome")
                        .tag("method", method)
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .tag("outcome", Outcome.forStatus(status).name())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry))
                .record(Duration.ofNanos(nanos));
    }

    /** Counts a trade submission by outcome ({@code executed}, {@code pending_approval}, {@code insufficient_funds}, ...). */
    public void tradeOutcome(String outcome) {
        String tag = outcome != null && OUTCOME.matcher(outcome).matches() ? outcome : "other";
        tradeOutcomes.computeIfAbsent(tag, t -> Counter.builder(TRADES_SUBMITTED)
                        .description("Trade submissions by outcome")
                        .tag("outcome", t)
                        .register(registry))
                .increment();
        if (QUOTA_EXCEEDED.equals(tag)) {
            quotaRefusals.increment();
        }
    }

    /**
     * Registers {@code oversight_pending_requests}: the number of oversight requests waiting for a
     * human. The supplier is read at every scrape; it must be cheap, and if it throws the gauge
     * reads NaN rather than failing the scrape.
     */
    public static Gauge pendingApprovalsGauge(MeterRegistry registry, LongSupplier pending) {
        Objects.requireNonNull(pending, "pending");
        return Gauge.builder(PENDING_APPROVALS, () -> {
                    try {
                        return pending.getAsLong();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("Oversight requests waiting for a decision")
                .register(registry);
    }

    private void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("could not close a metrics binder", e);
            }
        }
    }
}
