package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.rest.OpsTestSupport.get;
import static org.tradingdemo.adapter.rest.OpsTestSupport.header;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsRoutesTest {

    private final ObjectMapper mapper = JsonSupport.mapper();
    private final PrometheusMeterRegistry registry = OpsTestSupport.registry();
    private final CountDownLatch release = new CountDownLatch(1);
    private Javalin app;

    @AfterEach
    void stop() {
        release.countDown();
        if (app != null) {
            app.stop();
        }
    }

    private String startBare(List<ReadinessCheck> checks, Duration timeout) {
        app = OpsTestSupport.bareApp();
        RequestLogging.register(app);
        ProblemJson.register(app, mapper);
        OpsRoutes.register(app, checks, registry, timeout);
        return OpsTestSupport.start(app);
    }

    private String startBare(List<ReadinessCheck> checks) {
        return startBare(checks, OpsRoutes.CHECK_TIMEOUT);
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    @Test
    void health() throws Exception {
        String base = startBare(List.of());
        HttpResponse<String> r = get(base, "/health");
        assertEquals(200, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("application/json"));
        assertEquals("{\"status\":\"ok\"}", r.body());
        assertNotNull(header(r, RequestIds.HEADER));
        assertEquals("ok", json(r).path("status").asText());
    }

    @Test
    void readyWhenEveryCheckIsUp() throws Exception {
        String base = startBare(List.of(ReadinessCheck.of("store", () -> true), ReadinessCheck.of("metering", () -> true)));
        HttpResponse<String> r = get(base, "/ready");
        assertEquals(200, r.statusCode());
        JsonNode body = json(r);
        assertEquals("ready", body.path("status").asText());
        assertEquals("up", body.path("checks").path("store").asText());
        assertEquals("up", body.path("checks").path("metering").asText());
        assertEquals(null, header(r, "Retry-After"));
    }

    @Test
    void readyWithoutChecks() throws Exception {
        HttpResponse<String> r = get(startBare(List.of()), "/ready");
        assertEquals(200, r.statusCode());
        assertEquals("ready", json(r).path("status").asText());
        assertTrue(json(r).path("checks").isObject());
    }

    @Test
    void notReadyNamesTheFailingCheck() throws Exception {
        String base = startBare(List.of(ReadinessCheck.of("store", () -> false), ReadinessCheck.of("metering", () -> true)));
        HttpResponse<String> r = get(base, "/ready");
        assertEquals(503, r.statusCode());
        assertEquals("5", header(r, "Retry-After"));
        JsonNode body = json(r);
        assertEquals("not_ready", body.path("status").asText());
        assertEquals("down", body.path("checks").path("store").asText());
        assertEquals("up", body.path("checks").path("metering").asText());
        assertNotNull(header(r, RequestIds.HEADER));
    }

    @Test
    void aCheckThatThrowsIsDown() throws Exception {
        ReadinessCheck throwing = new ReadinessCheck() {
            @Override
            public String name() {
                return "oversight";
            }

            @Override
            public boolean isReady() {
                throw new IllegalStateException("boom");
            }
        };
        HttpResponse<String> r = get(startBare(List.of(throwing, ReadinessCheck.of("store", () -> true))), "/ready");
        assertEquals(503, r.statusCode());
        assertEquals("down", json(r).path("checks").path("oversight").asText());
        assertEquals("up", json(r).path("checks").path("store").asText());
    }

    @Test
    void aHangingCheckIsDownWithinTheTimeoutAndIsNotPiledUp() throws Exception {
        AtomicInteger started = new AtomicInteger();
        ReadinessCheck hanging = ReadinessCheck.of("metering", () -> {
            started.incrementAndGet();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        String base = startBare(List.of(hanging, ReadinessCheck.of("store", () -> true)), Duration.ofMillis(200));

        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(base, "/ready");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, r.statusCode());
            assertEquals("down", json(r).path("checks").path("metering").asText());
            assertEquals("up", json(r).path("checks").path("store").asText());
            assertTrue(ms < 3_000, "took " + ms + " ms");
        }
        assertEquals(1, started.get(), "a hung check is not started again while it still runs");

        release.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        HttpResponse<String> r;
        do {
            r = get(base, "/ready");
        } while (r.statusCode() != 200 && System.nanoTime() < deadline);
        assertEquals(200, r.statusCode(), "ready again once the dependency answers");
    }

    @Test
    void metricsInPrometheusText() {
        Counter.builder("ops.test.hits").register(registry).increment();
        HttpResponse<String> r = get(startBare(List.of()), "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", header(r, "Content-Type"));
        assertTrue(r.body().contains("ops_test_hits_total 1.0"), r.body());
    }

    @Test
    void openApiDocumentIsServed() throws Exception {
        HttpResponse<String> r = get(startBare(List.of()), "/openapi.json");
        assertEquals(200, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("application/json"));
        assertTrue(json(r).path("openapi").asText().startsWith("3.1."));
        assertTrue(json(r).path("paths").has("/api/v1/agents"));
    }

    @Test
    void docsPageIsServedWithItsOwnAssetsOnly() {
        String base = startBare(List.of());
        HttpResponse<String> page = get(base, "/docs");
        assertEquals(200, page.statusCode());
        assertTrue(header(page, "Content-Type").startsWith("text/html"));
        String html = page.body();
        assertTrue(html.contains("<script src=\"/docs/app.js\""), html);
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/docs/style.css\">"), html);
        // CSP default-src 'self': no inline script or style, no external asset
        Matcher scripts = Pattern.compile("<script([^>]*)>([^<]*)</script>").matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src="), "inline script: " + scripts.group());
            assertTrue(scripts.group(2).isBlank(), "inline script body: " + scripts.group());
        }
        assertEquals(1, count);
        assertFalse(html.contains("<style"), "inline style element");
        assertFalse(Pattern.compile("\\sstyle=").matcher(html).find(), "inline style attribute");
        assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "inline event handler");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("//cdn"), "external asset");

        HttpResponse<String> script = get(base, "/docs/app.js");
        assertEquals(200, script.statusCode());
        assertTrue(header(script, "Content-Type").startsWith("text/javascript"));
        assertTrue(script.body().contains("fetch('/openapi.json'"), "the page reads the document");
        assertFalse(script.body().contains("eval(") || script.body().contains("new Function"), "CSP forbids eval");
        assertFalse(script.body().contains("innerHTML"), "document text is inserted as text");
        assertFalse(script.body().contains("http://") || script.body().contains("https://"), "external request");

        HttpResponse<String> style = get(base, "/docs/style.css");
        assertEquals(200, style.statusCode());
        assertTrue(header(style, "Content-Type").startsWith("text/css"));
        assertFalse(style.body().contains("@import") || style.body().contains("url("), "external style asset");

        assertEquals(200, get(base, "/docs/").statusCode(), "trailing slash");
    }

    @Test
    void opsEndpointsArePublicInTheFullApi() throws Exception {
        app = OpsTestSupport.fullApi(List.of(ReadinessCheck.of("store", () -> true)), registry);
        String base = OpsTestSupport.start(app);
        List<String> refused = new ArrayList<>();
        for (String path : List.of("/health", "/ready", "/metrics", "/openapi.json", "/docs", "/docs/app.js",
                "/docs/style.css")) {
            HttpResponse<String> r = get(base, path);
            if (r.statusCode() != 200) {
                refused.add(path + " -> " + r.statusCode());
            }
            assertNotNull(header(r, RequestIds.HEADER), path);
        }
        assertTrue(refused.isEmpty(), "ops endpoints must answer without a token: " + refused);

        HttpResponse<String> metrics = get(base, "/metrics");
        assertTrue(metrics.body().contains("http_server_requests_seconds_bucket"), "requests are timed");
        assertTrue(metrics.body().contains("quota_refusals_total"));
        assertEquals("ready", json(get(base, "/ready")).path("status").asText());
    }
}
