package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.rest.AuthTestServer.header;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.adapter.rest.AuthTestServer.MutableClock;
import org.tradingdemo.domain.model.Role;

class RateLimitsTest {

    private static final String READ = RestApi.PREFIX + "/test/read";
    private static final long PER_HOUR = 3;
    private static final long TRADES_PER_MINUTE = 2;

    private AuthTestServer server;
    private String viewer;

    @BeforeEach
    void start() {
        server = AuthTestServer.builder().limits(PER_HOUR, TRADES_PER_MINUTE).start();
        viewer = server.tokenFor(Role.VIEWER);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> trade(String token, String agentId) {
        return server.post(RestApi.PREFIX + "/test/agents/" + agentId + "/trades", "{}",
                "Authorization", "Bearer " + token);
    }

    @Test
    void everyAuthenticatedResponseCarriesTheHeaders() {
        for (long remaining = PER_HOUR - 1; remaining >= 0; remaining--) {
            HttpResponse<String> response = server.getWithToken(READ, viewer);
            assertEquals(200, response.statusCode());
            assertEquals(String.valueOf(PER_HOUR), header(response, RateLimits.LIMIT));
            assertEquals(String.valueOf(remaining), header(response, RateLimits.REMAINING));
            // seconds until the bucket is full again: 20 minutes per used token
            assertEquals(String.valueOf((PER_HOUR - remaining) * 1200), header(response, RateLimits.RESET));
        }
    }

    @Test
    void oneRequestTooManyIs429WithRetryAfter() {
        for (int i = 0; i < PER_HOUR; i++) {
            assertEquals(200, server.getWithToken(READ, viewer).statusCode());
        }
        HttpResponse<String> refused = server.getWithToken(READ, viewer);

        assertEquals(429, refused.statusCode());
        assertTrue(header(refused, "Content-Type").startsWith(ProblemJson.CONTENT_TYPE));
        JsonNode body = server.json(refused);
        assertEquals("rate_limited", body.get("code").asText());
        assertEquals(429, body.get("status").asInt());
        assertEquals("1200", header(refused, "Retry-After"), "one token every 20 minutes");
        assertEquals("0", header(refused, RateLimits.REMAINING));
        assertEquals(String.valueOf(PER_HOUR), header(refused, RateLimits.LIMIT));
        assertEquals("3600", header(refused, RateLimits.RESET));
        assertEquals(header(refused, RequestIds.HEADER), body.get("requestId").asText());
    }

    @Test
    void tokensComeBackWithTime() {
        for (int i = 0; i < PER_HOUR; i++) {
            server.getWithToken(READ, viewer);
        }
        assertEquals(429, server.getWithToken(READ, viewer).statusCode());
        server.clock.advance(Duration.ofMinutes(19));
        assertEquals(429, server.getWithToken(READ, viewer).statusCode());
        server.clock.advance(Duration.ofMinutes(1));
        HttpResponse<String> again = server.getWithToken(READ, viewer);
        assertEquals(200, again.statusCode());
        assertEquals("0", header(again, RateLimits.REMAINING));
    }

    @Test
    void usersHaveTheirOwnBuckets() {
        for (int i = 0; i < PER_HOUR; i++) {
            server.getWithToken(READ, viewer);
        }
        assertEquals(429, server.getWithToken(READ, viewer).statusCode());
        assertEquals(200, server.getWithToken(READ, server.tokenFor(Role.ADMIN)).statusCode());
        // a new token of the same user shares the user's bucket
        assertEquals(429, server.getWithToken(READ, server.tokenFor(Role.VIEWER)).statusCode());
    }

    @Test
    void anonymousAndPublicRequestsAreNotCounted() {
        for (int i = 0; i < PER_HOUR + 2; i++) {
            HttpResponse<String> health = server.get("/health", "Authorization", "Bearer " + viewer);
            assertEquals(200, health.statusCode());
            assertNull(header(health, RateLimits.LIMIT));
            assertEquals(401, server.get(READ).statusCode());
        }
        assertEquals(200, server.getWithToken(READ, viewer).statusCode());
    }

    @Test
    void agentTradesAreLimitedPerAgent() {
        try (AuthTestServer roomy = AuthTestServer.builder().limits(1_000, TRADES_PER_MINUTE).start()) {
            String trader = roomy.tokenFor(Role.TRADER);
            HttpResponse<String> first = roomy.post(RestApi.PREFIX + "/test/agents/a-1/trades", "{}",
                    "Authorization", "Bearer " + trader);
            assertEquals(201, first.statusCode());
            // the agent's limit is closer to running out than the user's: its numbers are shown
            assertEquals(String.valueOf(TRADES_PER_MINUTE), header(first, RateLimits.LIMIT));
            assertEquals("1", header(first, RateLimits.REMAINING));
            assertEquals(201, roomy.post(RestApi.PREFIX + "/test/agents/a-1/trades", "{}",
                    "Authorization", "Bearer " + trader).statusCode());

            HttpResponse<String> refused = roomy.post(RestApi.PREFIX + "/test/agents/a-1/trades", "{}",
                    "Authorization", "Bearer " + trader);
            assertEquals(429, refused.statusCode());
            assertEquals("rate_limited", roomy.json(refused).get("code").asText());
            assertEquals("30", header(refused, "Retry-After"), "one trade every 30 s");
            assertEquals("0", header(refused, RateLimits.REMAINING));
            assertEquals(String.valueOf(TRADES_PER_MINUTE), header(refused, RateLimits.LIMIT));

            // another agent is not affected; the agent's bucket is its own, whoever submits
            assertEquals(201, roomy.post(RestApi.PREFIX + "/test/agents/a-2/trades", "{}",
                    "Authorization", "Bearer " + trader).statusCode());
            assertEquals(429, roomy.post(RestApi.PREFIX + "/test/agents/a-1/trades", "{}",
                    "Authorization", "Bearer " + roomy.tokenFor(Role.ADMIN)).statusCode());
            // reads go on
            assertEquals(200, roomy.getWithToken(READ, trader).statusCode());

            roomy.clock.advance(Duration.ofSeconds(30));
            assertEquals(201, roomy.post(RestApi.PREFIX + "/test/agents/a-1/trades", "{}",
                    "Authorization", "Bearer " + trader).statusCode());
        }
    }

    @Test
    void userLimitAppliesToTradesToo() {
        String trader = server.tokenFor(Role.TRADER);
        for (int i = 0; i < PER_HOUR; i++) {
            trade(trader, "agent-" + i);
        }
        HttpResponse<String> refused = trade(trader, "fresh-agent");
        assertEquals(429, refused.statusCode());
        assertEquals("1200", header(refused, "Retry-After"));
    }

    @Test
    void bucketsAreBounded() {
        TokenBuckets buckets = new TokenBuckets(5, Duration.ofMinutes(1), new MutableClock(AuthTestServer.T0), 3);
        for (int i = 0; i < 100; i++) {
            assertTrue(buckets.tryConsume("key-" + i).isConsumed());
            assertTrue(buckets.size() <= 3);
        }
        // the least recently used went first: a recent key kept its bucket
        buckets.tryConsume("key-99");
        assertEquals(2, buckets.tryConsume("key-99").getRemainingTokens());
    }

    @Test
    void bucketsTakeTimeFromTheClockOnly() {
        MutableClock clock = new MutableClock(AuthTestServer.T0);
        TokenBuckets buckets = new TokenBuckets(2, Duration.ofHours(1), clock, 10);
        assertTrue(buckets.tryConsume("k").isConsumed());
        assertTrue(buckets.tryConsume("k").isConsumed());
        assertTrue(!buckets.tryConsume("k").isConsumed());
        clock.advance(Duration.ofMinutes(30));
        assertTrue(buckets.tryConsume("k").isConsumed());
        assertTrue(!buckets.tryConsume("k").isConsumed());
        buckets.refund("k");
        assertTrue(buckets.tryConsume("k").isConsumed());
    }
}
