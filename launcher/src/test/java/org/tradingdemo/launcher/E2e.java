package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * What the end-to-end tests share: a configuration for an in-process server on a free port, and a
 * small HTTP client over {@link HttpClient} that reads JSON with decimals kept exact.
 */
final class E2e {

    /** Known to the tests, so they can sign tokens of their own (expired, forged). */
    static final String JWT_SECRET = "e2e-test-secret-that-is-long-enough-0123456789";
    static final Map<String, String> PASSWORDS = Map.of(
            "admin", "admin-password-1",
            "trader", "trader-password-1",
            "approver", "approver-password-1",
            "viewer", "viewer-password-1");

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private E2e() {
    }

    /** A server on 127.0.0.1 and a free port, data in {@code dataDir}, fixed passwords and key, generous rate limits. */
    static ServiceConfig config(Path dataDir, Map<String, String> overrides) {
        return ServiceConfig.parse(env(dataDir, overrides), List.of());
    }

    /** The environment behind {@link #config}: for {@code Main.run} and child processes. */
    static Map<String, String> env(Path dataDir, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("DB_PATH", dataDir.resolve("trading.db").toString());
        env.put("JWT_SECRET", JWT_SECRET);
        env.put("DEMO_PASSWORD_ADMIN", PASSWORDS.get("admin"));
        env.put("DEMO_PASSWORD_TRADER", PASSWORDS.get("trader"));
        env.put("DEMO_PASSWORD_APPROVER", PASSWORDS.get("approver"));
        env.put("DEMO_PASSWORD_VIEWER", PASSWORDS.get("viewer"));
        env.put("RATE_LIMIT_USER_PER_HOUR", "1000000");
        env.put("RATE_LIMIT_AGENT_PER_MINUTE", "100000");
        env.put("SHUTDOWN_TIMEOUT", "PT5S");
        env.putAll(overrides);
        return env;
    }

    /** One HTTP response, its body read as text. */
    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String text(String field) {
            return json().path(field).asText();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        /** Fails with the whole response when the status is not the expected one. */
        Response expect(int expected) {
            if (status != expected) {
                fail("expected " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        /** An RFC 9457 problem with this status and code. */
        Response expectProblem(int expected, String code) {
            expect(expected);
            assertTrue(contentType().startsWith("application/problem+json"), "content type " + contentType());
            JsonNode p = json();
            assertEquals(expected, p.path("status").asInt(), body);
            if (code != null) {
                assertEquals(code, p.path("code").asText(), body);
            }
            assertTrue(p.hasNonNull("requestId"), body);
            return this;
        }
    }

    /** A client of one server. */
    static final class Api {
        final String baseUrl;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Api(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        Response get(String path, String token) {
            return send(request(path, token).GET());
        }

        Response post(String path, String token, String jsonBody) {
            HttpRequest.Builder b = request(path, token);
            if (jsonBody == null) {
                b.POST(HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
            }
            return send(b);
        }

        HttpRequest.Builder request(String path, String token) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b;
        }

        Response send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(r.statusCode(), r.headers(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Logs in through the API and returns the bearer token. */
        String login(String username, String password) {
            Response r = post("/api/v1/auth/login", null,
                    "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}").expect(200);
            return r.text("token");
        }

        String login(String username) {
            return login(username, PASSWORDS.get(username));
        }

        /** Creates an agent and returns its id. */
        String createAgent(String token, String name, String budget, String strategy, String riskTolerance) {
            Response r = post("/api/v1/agents", token, "{\"name\":\"" + name + "\",\"budget\":" + budget
                    + ",\"strategy\":\"" + strategy + "\",\"riskTolerance\":\"" + riskTolerance + "\"}").expect(201);
            return r.text("id");
        }

        Response trade(String token, String agentId, String symbol, String side, String quantity, String price) {
            return post("/api/v1/agents/" + agentId + "/trades", token, "{\"symbol\":\"" + symbol + "\",\"side\":\""
                    + side + "\",\"quantity\":" + quantity + ",\"price\":" + price + ",\"type\":\"limit\"}");
        }

        /**
         * Every item of a list endpoint, following {@code nextCursor} (at most 1,000 pages).
         *
         * @param path with its query string, without {@code cursor}
         */
        List<JsonNode> all(String path, String token) {
            List<JsonNode> items = new ArrayList<>();
            String cursor = null;
            for (int pages = 0; pages < 1_000; pages++) {
                String sep = path.contains("?") ? "&" : "?";
                JsonNode page = get(cursor == null ? path : path + sep + "cursor="
                        + URLEncoder.encode(cursor, StandardCharsets.UTF_8), token)
                        .expect(200).json();
                page.path("items").forEach(items::add);
                if (page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode()) {
                    return items;
                }
                cursor = page.path("nextCursor").asText();
            }
            throw new AssertionError("more than 1,000 pages at " + path);
        }

        /** Polls until the predicate holds (for what a background job does); fails after the timeout. */
        Response await(String path, String token, Predicate<Response> done, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Response last;
            do {
                last = get(path, token);
                if (done.test(last)) {
                    return last;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            } while (System.nanoTime() < deadline);
            throw new AssertionError("timed out waiting on " + path + "; last answer " + last.status() + ": "
                    + last.body());
        }
    }

    /** Where a long test spends its time, printed on one line (the suite runs on a shared, busy machine). */
    static final class Laps {
        private final String name;
        private final long start = System.nanoTime();
        private long last = start;
        private final StringBuilder laps = new StringBuilder();

        Laps(String name) {
            this.name = name;
        }

        void lap(String what) {
            long now = System.nanoTime();
            laps.append(laps.length() == 0 ? "" : ", ").append(what).append(' ').append((now - last) / 1_000_000)
                    .append(" ms");
            last = now;
        }

        void print() {
            System.out.println(name + ": " + (System.nanoTime() - start) / 1_000_000 + " ms (" + laps + ")");
        }
    }

    /** A decimal read from the raw JSON, exactly (never through a double). */
    static BigDecimal decimal(JsonNode node) {
        assertTrue(node.isNumber(), "not a JSON number: " + node);
        return node.decimalValue();
    }

    /** Exactly this decimal as written on the wire: {@code 1500}, not {@code 1500.00} nor {@code 1.5E+3}. */
    static void assertExactly(String expected, JsonNode actual) {
        BigDecimal a = decimal(actual);
        assertEquals(new BigDecimal(expected), a, "expected exactly " + expected + " on the wire");
    }

    /** Equal as numbers (1500 and 1500.00 are the same amount). */
    static void assertAmount(String expected, JsonNode actual) {
        BigDecimal a = decimal(actual);
        assertEquals(0, new BigDecimal(expected).compareTo(a), "expected " + expected + " but got " + a);
    }
}
