package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.rest.AuthTestServer.header;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Role;

class SecurityHeadersTest {

    private static final String READ = RestApi.PREFIX + "/test/read";
    private static final String ALLOWED = "https://dashboard.example.com";
    private static final String OTHER = "https://evil.example.net";

    private static void assertSecurityHeaders(HttpResponse<String> response) {
        String what = response.request().method() + " " + response.uri().getPath() + " -> " + response.statusCode();
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(response, "Content-Security-Policy"), what);
        assertEquals("nosniff", header(response, "X-Content-Type-Options"), what);
        assertEquals("DENY", header(response, "X-Frame-Options"), what);
        assertEquals("no-referrer", header(response, "Referrer-Policy"), what);
        assertNotNull(header(response, RequestIds.HEADER), what);
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        try (AuthTestServer server = AuthTestServer.start()) {
            String admin = server.tokenFor(Role.ADMIN);
            List<HttpResponse<String>> responses = List.of(
                    server.get("/health"),
                    server.getWithToken(READ, admin),
                    server.get(READ),
                    server.getWithToken(READ, "garbage"),
                    server.post(RestApi.PREFIX + "/test/approve", "{}", "Authorization",
                            "Bearer " + server.tokenFor(Role.VIEWER)),
                    server.get("/nowhere"),
                    server.getWithToken(RestApi.PREFIX + "/test/boom", admin),
                    server.post(AuthRoutes.LOGIN_PATH, "{}"),
                    server.post(AuthRoutes.LOGIN_PATH, "{\"username\":\"ab\",\"password\":\"x\"}"));
            List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
            assertEquals(List.of(200, 200, 401, 401, 403, 404, 500, 400, 401), statuses);
            responses.forEach(SecurityHeadersTest::assertSecurityHeaders);
        }
    }

    @Test
    void rateLimitRefusalsCarryThemToo() {
        try (AuthTestServer server = AuthTestServer.builder().limits(1, 100).start()) {
            String viewer = server.tokenFor(Role.VIEWER);
            server.getWithToken(READ, viewer);
            HttpResponse<String> refused = server.getWithToken(READ, viewer);
            assertEquals(429, refused.statusCode());
            assertSecurityHeaders(refused);
            assertEquals("no-store", header(refused, "Cache-Control"));
        }
    }

    @Test
    void apiResponsesAreNotCached() {
        try (AuthTestServer server = AuthTestServer.start()) {
            assertEquals("no-store", header(server.getWithToken(READ, server.tokenFor(Role.VIEWER)), "Cache-Control"));
            assertEquals("no-store", header(server.get(READ), "Cache-Control"));
            assertEquals("no-store", header(server.get(RestApi.PREFIX + "/unknown"), "Cache-Control"));
            assertNull(header(server.get("/health"), "Cache-Control"));
        }
    }

    @Test
    void withoutConfiguredOriginsThereIsNoCors() {
        try (AuthTestServer server = AuthTestServer.start()) {
            HttpResponse<String> response = server.get("/health", "Origin", ALLOWED);
            assertEquals(200, response.statusCode());
            assertNoCors(response);
            HttpResponse<String> preflight = server.request("OPTIONS", READ, "Origin", ALLOWED,
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
            assertNoCors(preflight);
            assertSecurityHeaders(preflight);
        }
    }

    @Test
    void configuredOriginMayCallAndReadTheHeaders() {
        try (AuthTestServer server = AuthTestServer.builder().corsOrigins(ALLOWED).start()) {
            HttpResponse<String> response = server.get(READ, "Origin", ALLOWED,
                    "Authorization", "Bearer " + server.tokenFor(Role.VIEWER));
            assertEquals(200, response.statusCode());
            assertEquals(ALLOWED, header(response, "Access-Control-Allow-Origin"));
            assertTrue(response.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Origin")));
            assertNull(header(response, "Access-Control-Allow-Credentials"));
            String exposed = header(response, "Access-Control-Expose-Headers");
            for (String h : List.of("X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                    "Retry-After", "Location")) {
                assertTrue(exposed.contains(h), exposed + " should expose " + h);
            }
            assertSecurityHeaders(response);
        }
    }

    @Test
    void preflightOfAConfiguredOriginIsAnsweredWithoutAToken() {
        try (AuthTestServer server = AuthTestServer.builder().corsOrigins(ALLOWED, "http://localhost:5173").start()) {
            HttpResponse<String> preflight = server.request("OPTIONS", RestApi.PREFIX + "/test/agents/a-1/trades",
                    "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "authorization,content-type,idempotency-key,x-evil");
            assertEquals(200, preflight.statusCode(), preflight.body());
            assertEquals("http://localhost:5173", header(preflight, "Access-Control-Allow-Origin"));
            assertEquals(SecurityHeaders.CORS_ALLOWED_METHODS, header(preflight, "Access-Control-Allow-Methods"));
            String allowed = header(preflight, "Access-Control-Allow-Headers");
            assertEquals("Authorization, Content-Type, Idempotency-Key, X-Request-Id", allowed);
            assertEquals(String.valueOf(SecurityHeaders.CORS_MAX_AGE), header(preflight, "Access-Control-Max-Age"));
            assertSecurityHeaders(preflight);
        }
    }

    @Test
    void otherOriginsGetNoCorsHeadersButTheRequestIsNotBroken() {
        try (AuthTestServer server = AuthTestServer.builder().corsOrigins(ALLOWED).start()) {
            HttpResponse<String> response = server.get("/health", "Origin", OTHER);
            // the browser enforces CORS by the missing Allow-Origin; the server answers as usual
            assertEquals(200, response.statusCode());
            assertNull(header(response, "Access-Control-Allow-Origin"));
            assertSecurityHeaders(response);

            HttpResponse<String> preflight = server.request("OPTIONS", READ, "Origin", OTHER,
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
            assertNull(header(preflight, "Access-Control-Allow-Origin"));
            assertNull(header(preflight, "Access-Control-Allow-Methods"));
            HttpResponse<String> read = server.get(READ, "Origin", OTHER,
                    "Authorization", "Bearer " + server.tokenFor(Role.VIEWER));
            assertNull(header(read, "Access-Control-Allow-Origin"));
        }
    }

    private static void assertNoCors(HttpResponse<String> response) {
        response.headers().map().keySet().forEach(name ->
                assertTrue(!name.toLowerCase().startsWith("access-control-"), "unexpected CORS header " + name));
    }
}
