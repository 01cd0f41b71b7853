package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.rest.OpsTestSupport.get;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiMetricsTest {

    private final ObjectMapper mapper = JsonSupport.mapper();
    private final PrometheusMeterRegistry registry = OpsTestSupport.registry();
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    /** A bare app with the request id, the metrics, problem+json and a few routes. */
    private String startBare(ApiMetrics metrics) {
        app = OpsTestSupport.bareApp();
        RequestLogging.register(app);
        metrics.register(app);
        ProblemJson.register(app, mapper);
        app.get("/api/v1/agents/{id}", ctx -> ctx.json(java.util.Map.of("id", ctx.pathParam("id"))));
        app.post("/api/v1/agents/{id}/suspend", ctx -> ctx.status(204));
        app.get("/api/v1/fails", ctx -> {
            throw new IllegalStateException("bug");
        });
        return OpsTestSupport.start(app);
    }

    /** The scrape, once {@code requests} requests have been recorded (after-handlers may finish after the response). */
    private String scrapeAfter(long requests) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        String text;
        do {
            text = registry.scrape();
            if (totalCount(text) >= requests) {
                return text;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return text;
            }
        } while (System.nanoTime() < deadline);
        return text;
    }

    private static long totalCount(String scrape) {
        Matcher m = Pattern.compile("(?m)^http_server_requests_seconds_count\\{.*} ([0-9.]+)$").matcher(scrape);
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static List<String> lines(String scrape, String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static boolean hasSeries(String scrape, String name, String... labels) {
        return lines(scrape, name + "{").stream().anyMatch(l -> {
            for (String label : labels) {
                if (!l.contains(label)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void histogramIsTaggedWithTheRouteTemplateNeverTheRawPath() {
        String base = startBare(new ApiMetrics(registry));
        assertEquals(200, get(base, "/api/v1/agents/agent-raw-id-123").statusCode());
        String scrape = scrapeAfter(1);

        assertTrue(hasSeries(scrape, "http_server_requests_seconds_bucket", "route=\"/api/v1/agents/{id}\"",
                "method=\"GET\"", "status=\"200\"", "outcome=\"SUCCESS\"", "le="), scrape);
        assertTrue(hasSeries(scrape, "http_server_requests_seconds_count", "route=\"/api/v1/agents/{id}\""), scrape);
        assertTrue(hasSeries(scrape, "http_server_requests_seconds_sum", "route=\"/api/v1/agents/{id}\""), scrape);
        assertTrue(scrape.contains("# TYPE http_server_requests_seconds histogram"), scrape);
        assertFalse(scrape.contains("agent-raw-id-123"), "a raw id leaked into a tag");
    }

    @Test
    void unmatchedRequestsShareOneRouteTag() {
        String base = startBare(new ApiMetrics(registry));
        assertEquals(404, get(base, "/no/such/path-abc").statusCode());
        assertEquals(404, get(base, "/another/unknown-xyz").statusCode());
        String scrape = scrapeAfter(2);

        assertTrue(hasSeries(scrape, "http_server_requests_seconds_count", "route=\"unmatched\"", "status=\"404\"",
                "outcome=\"CLIENT_ERROR\""), scrape);
        assertFalse(scrape.contains("path-abc") || scrape.contains("unknown-xyz"), "a raw path leaked into a tag");
        assertFalse(scrape.contains("route=\"*\""), scrape);
    }

    @Test
    void errorsAreTaggedWithTheirStatusAndOutcome() {
        String base = startBare(new ApiMetrics(registry));
        assertEquals(500, get(base, "/api/v1/fails").statusCode());
        String scrape = scrapeAfter(1);
        assertTrue(hasSeries(scrape, "http_server_requests_seconds_count", "route=\"/api/v1/fails\"", "status=\"500\"",
                "outcome=\"SERVER_ERROR\""), scrape);
    }

    @Test
    void countsTradeOutcomesAndQuotaRefusals() {
        ApiMetrics metrics = new ApiMetrics(registry);
        assertTrue(registry.scrape().contains("quota_refusals_total 0.0"), "refusals shown from the start");

        metrics.tradeOutcome("executed");
        metrics.tradeOutcome("executed");
        metrics.tradeOutcome("pending_approval");
        metrics.tradeOutcome("quota_exceeded");
        metrics.tradeOutcome("Robert'); DROP TABLE trades;--");
        metrics.tradeOutcome(null);
        String scrape = registry.scrape();

        assertTrue(scrape.contains("trades_submitted_total{outcome=\"executed\"} 2.0"), scrape);
        assertTrue(scrape.contains("trades_submitted_total{outcome=\"pending_approval\"} 1.0"), scrape);
        assertTrue(scrape.contains("trades_submitted_total{outcome=\"quota_exceeded\"} 1.0"), scrape);
        assertTrue(scrape.contains("trades_submitted_total{outcome=\"other\"} 2.0"), "unexpected outcomes folded: " + scrape);
        assertTrue(scrape.contains("quota_refusals_total 1.0"), scrape);
        assertFalse(scrape.contains("DROP TABLE"), scrape);
    }

    @Test
    void jvmMetricsAreBound() {
        startBare(new ApiMetrics(registry));
        String scrape = registry.scrape();
        for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_max_data_size_bytes",
                "process_uptime_seconds", "system_cpu_count")) {
            assertTrue(scrape.contains(name), name + " missing from:\n" + scrape);
        }
    }

    @Test
    void pendingApprovalsGauge() {
        AtomicLong pending = new AtomicLong(3);
        ApiMetrics.pendingApprovalsGauge(registry, pending::get);
        assertTrue(registry.scrape().contains("oversight_pending_requests 3.0"), registry.scrape());
        pending.set(5);
        assertTrue(registry.scrape().contains("oversight_pending_requests 5.0"), registry.scrape());
    }

    @Test
    void aFailingPendingApprovalsSupplierDoesNotBreakTheScrape() {
        ApiMetrics.pendingApprovalsGauge(registry, () -> {
            throw new IllegalStateException("store down");
        });
        String scrape = registry.scrape();
        assertTrue(scrape.contains("oversight_pending_requests NaN"), scrape);
    }

    @Test
    void theFullApiTagsItsRoutesByTemplate() {
        app = OpsTestSupport.fullApi(List.of(), registry);
        String base = OpsTestSupport.start(app);
        // no token: refused before the route runs, still counted under the route's template
        int status = get(base, "/api/v1/agents/agent-full-42").statusCode();
        assertEquals(401, status);
        assertEquals(200, get(base, "/health").statusCode());
        String scrape = scrapeAfter(2);

        assertTrue(hasSeries(scrape, "http_server_requests_seconds_count", "route=\"/api/v1/agents/{id}\"",
                "status=\"401\""), scrape);
        assertTrue(hasSeries(scrape, "http_server_requests_seconds_count", "route=\"/health\"", "status=\"200\""), scrape);
        assertFalse(scrape.contains("agent-full-42"), "a raw id leaked into a tag");
    }
}
