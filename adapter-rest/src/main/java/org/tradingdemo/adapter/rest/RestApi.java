package org.tradingdemo.adapter.rest;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Builds the HTTP API (not started): the one place that shows, in order, what every request goes
 * through - request id and access log, metrics, security headers and CORS, body limit, problem+json
 * errors, authentication, rate limits, then the routes of ARCHITECTURE.md §5.
 */
public final class RestApi {

    public static final String PREFIX = "/api/v1";

    private RestApi() {
    }

    public static Javalin create(RestUseCases useCases, RestSettings settings, List<ReadinessCheck> readiness,
                                 PrometheusMeterRegistry registry) {
        ObjectMapper mapper = JsonSupport.mapper();
        JwtTokens tokens = new JwtTokens(settings);
        RateLimits limits = new RateLimits(settings);
        ApiMetrics metrics = new ApiMetrics(registry);

        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = "application/json";
            config.router.ignoreTrailingSlashes = true;
            SecurityHeaders.configure(config, settings);
        });

        RequestLogging.register(app);
        metrics.register(app);
        SecurityHeaders.register(app, settings, mapper);
        ProblemJson.register(app, mapper);
        AuthFilter.register(app, tokens, mapper);
        limits.register(app, mapper);

        AuthRoutes.register(app, useCases.authenticate(), tokens, mapper);
        AgentRoutes.register(app, useCases, mapper);
        TradeRoutes.register(app, useCases, mapper, limits, metrics, settings.clock());
        MeteringRoutes.register(app, useCases);
        OversightRoutes.register(app, useCases, mapper);
        AlertRoutes.register(app, useCases, mapper);
        OpsRoutes.register(app, readiness, registry);
        return app;
    }
}
