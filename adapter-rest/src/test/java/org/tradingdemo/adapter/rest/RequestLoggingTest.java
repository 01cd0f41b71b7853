package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.rest.OpsTestSupport.get;
import static org.tradingdemo.adapter.rest.OpsTestSupport.header;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.tradingdemo.adapter.rest.OpsTestSupport.CapturedLogs;

class RequestLoggingTest {

    private static final String ROUTE_LOGGER = "test.route";
    private static final Logger routeLog = LoggerFactory.getLogger(ROUTE_LOGGER);

    private final ObjectMapper mapper = JsonSupport.mapper();
    /** What the MDC held in an after-handler registered after RequestLogging's, per request id. */
    private final Map<String, String> mdcAfterRequest = new ConcurrentHashMap<>();
    private Javalin app;
    private String base;

    @BeforeEach
    void start() {
        app = OpsTestSupport.bareApp();
        RequestLogging.register(app);
        ProblemJson.register(app, mapper);
        app.get("/things/{id}", ctx -> {
            routeLog.info("handling thing {}", ctx.pathParam("id"));
            ctx.result(String.valueOf(MDC.get(RequestLogging.MDC_KEY)));
        });
        app.get("/boom", ctx -> {
            throw new IllegalStateException("secret internals");
        });
        app.get("/fatal", ctx -> {
            throw new AssertionError("a java.lang.Error, not an Exception");
        });
        app.after(ctx -> mdcAfterRequest.put(RequestIds.of(ctx), String.valueOf(MDC.get(RequestLogging.MDC_KEY))));
        base = OpsTestSupport.start(app);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void echoesASaneRequestId() {
        HttpResponse<String> r = get(base, "/things/1", "X-Request-Id", "client-id_42:a.b");
        assertEquals(200, r.statusCode());
        assertEquals("client-id_42:a.b", header(r, RequestIds.HEADER));
    }

    @Test
    void generatesARequestIdWhenNoneIsGiven() {
        HttpResponse<String> first = get(base, "/things/1");
        HttpResponse<String> second = get(base, "/things/1");
        String id = header(first, RequestIds.HEADER);
        assertNotNull(id);
        UUID.fromString(id);
        assertNotEquals(id, header(second, RequestIds.HEADER));
    }

    @Test
    void replacesAnUnsafeRequestId() {
        for (String unsafe : List.of("has space", "x".repeat(65), "<script>", "a\"b", "é")) {
            HttpResponse<String> r = get(base, "/things/1", "X-Request-Id", unsafe);
            String id = header(r, RequestIds.HEADER);
            assertNotEquals(unsafe, id, "unsafe id echoed: " + unsafe);
            UUID.fromString(id);
        }
    }

    @Test
    void requestIdOnA404AndInItsProblem() throws Exception {
        HttpResponse<String> r = get(base, "/no/such/route", "X-Request-Id", "req-404");
        assertEquals(404, r.statusCode());
        assertEquals("req-404", header(r, RequestIds.HEADER));
        assertEquals("req-404", mapper.readTree(r.body()).path("requestId").asText());
    }

    @Test
    void requestIdOnA500AndInItsProblemWithoutInternals() throws Exception {
        try (CapturedLogs errors = new CapturedLogs(ProblemJson.class.getName())) {
            HttpResponse<String> r = get(base, "/boom", "X-Request-Id", "req-500");
            assertEquals(500, r.statusCode());
            assertEquals("req-500", header(r, RequestIds.HEADER));
            JsonNode problem = mapper.readTree(r.body());
            assertEquals("req-500", problem.path("requestId").asText());
            assertFalse(r.body().contains("secret internals"));
            assertFalse(r.body().contains("IllegalStateException"));

            // the exception path logs with the request's id in the MDC
            ILoggingEvent logged = errors.await(e -> e.getThrowableProxy() != null).orElseThrow();
            assertEquals("req-500", logged.getMDCPropertyMap().get(RequestLogging.MDC_KEY));
        }
    }

    @Test
    void theMdcCarriesTheRequestIdIntoTheRequestsLogLines() {
        try (CapturedLogs route = new CapturedLogs(ROUTE_LOGGER)) {
            HttpResponse<String> r = get(base, "/things/7", "X-Request-Id", "mdc-check-1");
            assertEquals("mdc-check-1", r.body(), "MDC inside the handler");
            ILoggingEvent line = route.await(e -> e.getFormattedMessage().equals("handling thing 7")).orElseThrow();
            assertEquals("mdc-check-1", line.getMDCPropertyMap().get(RequestLogging.MDC_KEY));
        }
    }

    @Test
    void theMdcIsClearedWhenTheRequestIsDone() {
        get(base, "/things/1", "X-Request-Id", "clear-1");
        get(base, "/boom", "X-Request-Id", "clear-2");
        get(base, "/nothing-here", "X-Request-Id", "clear-3");
        get(base, "/fatal", "X-Request-Id", "clear-4");
        assertEquals("null", mdcAfterRequest.get("clear-1"));
        assertEquals("null", mdcAfterRequest.get("clear-2"));
        assertEquals("null", mdcAfterRequest.get("clear-3"));
        assertEquals("null", mdcAfterRequest.get("clear-4"));
    }

    @Test
    void evenAJavaLangErrorGetsItsRequestIdAndAccessLine() {
        try (CapturedLogs access = new CapturedLogs(RequestLogging.ACCESS_LOGGER)) {
            HttpResponse<String> r = get(base, "/fatal", "X-Request-Id", "req-error");
            assertEquals(500, r.statusCode());
            assertEquals("req-error", header(r, RequestIds.HEADER));
            String line = access.await(e -> e.getFormattedMessage().contains("requestId=req-error")).orElseThrow()
                    .getFormattedMessage();
            assertTrue(line.contains("route=/fatal") && line.contains("status=500"), line);
        }
    }

    @Test
    void writesOneAccessLinePerRequestWithTheRouteTemplate() {
        try (CapturedLogs access = new CapturedLogs(RequestLogging.ACCESS_LOGGER)) {
            get(base, "/things/abc-123", "X-Request-Id", "access-1");
            ILoggingEvent line = access.await(e -> e.getFormattedMessage().contains("requestId=access-1")).orElseThrow();
            String text = line.getFormattedMessage();
            assertTrue(text.contains("method=GET"), text);
            assertTrue(text.contains("route=/things/{id}"), text);
            assertTrue(text.contains("status=200"), text);
            assertTrue(text.matches(".*durationMs=\\d+\\.\\d{3}.*"), text);
            assertEquals("access-1", line.getMDCPropertyMap().get(RequestLogging.MDC_KEY));
            assertTrue(line.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals("route") && kv.value.equals("/things/{id}")));
            assertEquals(1, access.events().stream().filter(e -> e.getFormattedMessage().contains("requestId=access-1")).count());
        }
    }

    @Test
    void accessLinesOfErrorsAndUnmatchedRequests() {
        try (CapturedLogs access = new CapturedLogs(RequestLogging.ACCESS_LOGGER)) {
            get(base, "/boom", "X-Request-Id", "access-500");
            get(base, "/no/such/thing", "X-Request-Id", "access-404");
            String error = access.await(e -> e.getFormattedMessage().contains("requestId=access-500")).orElseThrow()
                    .getFormattedMessage();
            assertTrue(error.contains("route=/boom") && error.contains("status=500"), error);
            String unmatched = access.await(e -> e.getFormattedMessage().contains("requestId=access-404")).orElseThrow()
                    .getFormattedMessage();
            assertTrue(unmatched.contains("route=unmatched") && unmatched.contains("status=404"), unmatched);
        }
    }

    @Test
    void theAccessLineNeverHoldsTheQueryStringOrCredentials() {
        try (CapturedLogs access = new CapturedLogs(RequestLogging.ACCESS_LOGGER)) {
            get(base, "/things/1?token=super-secret-token&x=1", "X-Request-Id", "access-q",
                    "Authorization", "Bearer also-secret");
            ILoggingEvent line = access.await(e -> e.getFormattedMessage().contains("requestId=access-q")).orElseThrow();
            String text = line.getFormattedMessage() + " " + line.getKeyValuePairs();
            assertFalse(text.contains("super-secret-token"), text);
            assertFalse(text.contains("token="), text);
            assertFalse(text.contains("also-secret"), text);
            assertTrue(text.contains("path=/things/1 "), text);
        }
    }

    @Test
    void aLoggedPathCannotForgeLines() {
        assertEquals("/a_b_c", RequestLogging.safePath("/a\nb\rc"));
        assertEquals(203, RequestLogging.safePath("/" + "x".repeat(500)).length());
        assertEquals("", RequestLogging.safePath(null));
    }
}
