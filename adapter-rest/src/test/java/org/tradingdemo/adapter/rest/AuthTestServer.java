package org.tradingdemo.adapter.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;

/**
 * A real Javalin server on 127.0.0.1 with the security pipeline of {@link RestApi} (request ids,
 * security headers and CORS, problem+json, auth filter, rate limits, login) and a few tiny test
 * routes in place of the resource routes. Shared by the security tests.
 */
final class AuthTestServer implements AutoCloseable {

    static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    final MutableClock clock;
    final RestSettings settings;
    final JwtTokens tokens;
    final RateLimits limits;
    final ObjectMapper mapper = JsonSupport.mapper();
    final Javalin app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AuthTestServer(Builder b) {
        this.clock = b.clock;
        this.settings = new RestSettings(SECRET.getBytes(StandardCharsets.UTF_8), RestSettings.DEFAULT_ISSUER,
                RestSettings.DEFAULT_AUDIENCE, Duration.ofHours(8), b.corsOrigins, b.userRequestsPerHour,
                b.agentTradesPerMinute, 64 * 1024, clock);
        this.tokens = new JwtTokens(settings);
        this.limits = new RateLimits(settings);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = "application/json";
            config.router.ignoreTrailingSlashes = true;
            if (b.staticDir != null) {
                config.staticFiles.add(b.staticDir.toString(), Location.EXTERNAL);
            }
            SecurityHeaders.configure(config, settings);
        });
        app.before(RequestIds::assign);
        SecurityHeaders.register(app, settings, mapper);
        ProblemJson.register(app, mapper);
        AuthFilter.register(app, tokens, mapper);
        limits.register(app, mapper);
        if (b.throttle != null) {
            AuthRoutes.register(app, b.authenticate, tokens, mapper, b.throttle.apply(clock));
        } else {
            AuthRoutes.register(app, b.authenticate, tokens, mapper);
        }
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        app.get(RestApi.PREFIX + "/test/read", ctx -> {
            Principal p = RouteSupport.require(ctx, Scope.READ);
            ctx.json(Map.of("userId", p.userId().value(), "username", p.username(), "role", p.role().wireName()));
        });
        app.post(RestApi.PREFIX + "/test/approve", ctx -> {
            RouteSupport.require(ctx, Scope.OVERSIGHT_APPROVE);
            ctx.json(Map.of("approved", true));
        });
        app.post(RestApi.PREFIX + "/test/agents/{id}/trades", ctx -> {
            RouteSupport.require(ctx, Scope.TRADE_SUBMIT);
            limits.checkAgentTrade(ctx, AgentId.of(ctx.pathParam("id")));
            ctx.status(201).json(Map.of("accepted", true));
        });
        app.get(RestApi.PREFIX + "/test/boom", ctx -> {
            throw new IllegalStateException("a bug");
        });
        app.get("/internal/only", ctx -> ctx.result("private"));
        app.get("/docs/app.js", ctx -> ctx.result("// docs script"));
        app.start("127.0.0.1", 0);
    }

    static Builder builder() {
        return new Builder();
    }

    static AuthTestServer start() {
        return builder().start();
    }

    static final class Builder {
        private MutableClock clock = new MutableClock(T0);
        private List<String> corsOrigins = List.of();
        private long userRequestsPerHour = 1_000;
        private long agentTradesPerMinute = 100;
        private AuthenticateUseCase authenticate = (username, password) -> java.util.Optional.empty();
        private java.util.function.Function<Clock, LoginThrottle> throttle;
        private Path staticDir;

        Builder corsOrigins(String... origins) {
            this.corsOrigins = List.of(origins);
            return this;
        }

        Builder limits(long perHour, long tradesPerMinute) {
            this.userRequestsPerHour = perHour;
            this.agentTradesPerMinute = tradesPerMinute;
            return this;
        }

        Builder authenticate(AuthenticateUseCase authenticate) {
            this.authenticate = authenticate;
            return this;
        }

        Builder throttle(java.util.function.Function<Clock, LoginThrottle> throttle) {
            this.throttle = throttle;
            return this;
        }

        Builder staticFiles(Path dir) {
            this.staticDir = dir;
            return this;
        }

        AuthTestServer start() {
            return new AuthTestServer(this);
        }
    }

    static User user(String id, String username, Role role) {
        return new User(UserId.of(id), username, "pbkdf2$hash", role, T0.minusSeconds(86_400));
    }

    String tokenFor(Role role) {
        return tokens.issue(user("u-" + role.wireName(), role.wireName() + "1", role));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    HttpResponse<String> getWithToken(String path, String token) {
        return get(path, "Authorization", "Bearer " + token);
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        return postAs(path, "application/json", json, headers);
    }

    HttpResponse<String> postAs(String path, String contentType, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> request(String method, String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts-friendly view of one header (null when absent). */
    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() {
        app.stop();
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
