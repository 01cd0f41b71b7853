package org.tradingdemo.adapter.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.tradingdemo.domain.model.AgentId;

/**
 * Per-user and per-agent token buckets (Bucket4j, in memory, one instance's view).
 *
 * <ul>
 *   <li>every authenticated request takes a token from its user's bucket
 *       ({@link RestSettings#userRequestsPerHour()}, refilled evenly over the hour);</li>
 *   <li>every trade submission also takes one from its agent's bucket
 *       ({@link RestSettings#agentTradesPerMinute()}), see {@link #checkAgentTrade}.</li>
 * </ul>
 *
 * <p>Authenticated responses carry {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (seconds until the bucket is full again) of the limit closest to running
 * out. A refusal is a 429 {@code rate_limited} problem with {@code Retry-After} (seconds until the
 * next token, at least 1).
 */
public final class RateLimits {

    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";
    /** Upper bound on the buckets kept per kind (users, agents); least recently used go first. */
    static final int MAX_BUCKETS = 100_000;

    private static final String USER_REMAINING = "rateLimit.userRemaining";

    private final TokenBuckets users;
    private final TokenBuckets agents;

    public RateLimits(RestSettings settings) {
        this(settings, MAX_BUCKETS);
    }

    RateLimits(RestSettings settings, int maxBuckets) {
        this.users = new TokenBuckets(settings.userRequestsPerHour(), Duration.ofHours(1), settings.clock(),
                maxBuckets);
        this.agents = new TokenBuckets(settings.agentTradesPerMinute(), Duration.ofMinutes(1), settings.clock(),
                maxBuckets);
    }

    /**
     * Registers the per-user limit on every authenticated request. Must be registered after
     * {@link AuthFilter} (both are {@code beforeMatched} handlers, run in order): public routes carry
     * no principal and are not counted here.
     */
    public void register(Javalin app, ObjectMapper mapper) {
        app.beforeMatched(this::checkUser);
    }

    void checkUser(Context ctx) {
        Principal principal = ctx.attribute(RouteSupport.PRINCIPAL);
        if (principal == null) {
            return;
        }
        ConsumptionProbe probe = users.tryConsume(principal.userId().value());
        setHeaders(ctx, users, probe);
        ctx.attribute(USER_REMAINING, probe.getRemainingTokens());
        if (!probe.isConsumed()) {
            throw refusal(probe, "at most " + users.capacity() + " requests per hour per user");
        }
    }

    /**
     * Takes one token from the agent's trade bucket; throws a 429 {@link ApiError} when it is empty.
     * One bucket per agent, whoever submits. Call it only once the caller is known to see the agent
     * (else 404 first), so nobody can drain the trades of an agent that is not theirs by posting to
     * its id.
     */
    public void checkAgentTrade(Context ctx, AgentId agentId) {
        ConsumptionProbe probe = agents.tryConsume(agentId.value());
        Long userRemaining = ctx.attribute(USER_REMAINING);
        if (!probe.isConsumed() || userRemaining == null || probe.getRemainingTokens() < userRemaining) {
            setHeaders(ctx, agents, probe);
        }
        if (!probe.isConsumed()) {
            throw refusal(probe, "at most " + agents.capacity() + " trades per minute per agent");
        }
    }

    private static void setHeaders(Context ctx, TokenBuckets buckets, ConsumptionProbe probe) {
        ctx.header(LIMIT, String.valueOf(buckets.capacity()));
        ctx.header(REMAINING, String.valueOf(Math.max(0, probe.getRemainingTokens())));
        ctx.header(RESET, String.valueOf(TokenBuckets.seconds(probe.getNanosToWaitForReset(), 0)));
    }

    private static ApiError refusal(ConsumptionProbe probe, String policy) {
        long retryAfter = TokenBuckets.seconds(probe.getNanosToWaitForRefill(), 1);
        return new ApiError(429, "rate_limited", "Too Many Requests",
                "rate limit reached (" + policy + "); retry after " + retryAfter + " s",
                List.of(), Optional.of(Duration.ofSeconds(retryAfter)), Map.of());
    }
}
