package org.tradingdemo.adapter.rest;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.bucket4j.ConsumptionProbe;

/**
 * Slows password guessing: at most {@code attempts} failed logins per {@code period} for one username
 * from one client address (default 10 per minute). A successful login gives its token back, so people
 * who type their password right are never throttled; the token is taken before the password is
 * checked, so parallel guesses cannot slip past the limit.
 *
 * <p>The client address is the TCP peer ({@code ctx.ip()}): forwarding headers are not trusted, as
 * the service is not meant to sit behind a proxy that rewrites them. Keys are bounded by
 * {@link #MAX_KEYS} (least recently used dropped first).
 */
public final class LoginThrottle {

    public static final long DEFAULT_ATTEMPTS = 10;
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
    static final int MAX_KEYS = 50_000;

    private final TokenBuckets buckets;

    public LoginThrottle(Clock clock) {
        this(DEFAULT_ATTEMPTS, DEFAULT_PERIOD, clock);
    }

    public LoginThrottle(long attempts, Duration period, Clock clock) {
        this.buckets = new TokenBuckets(attempts, period, clock, MAX_KEYS);
    }

    /** A granted attempt; {@link #succeeded()} gives it back. */
    public final class Attempt {
        private final String key;

        private Attempt(String key) {
            this.key = key;
        }

        /** The credentials were right: this attempt does not count against the limit. */
        public void succeeded() {
            buckets.refund(key);
        }
    }

    /** Takes one attempt for this username from this address; a 429 {@link ApiError} when none is left. */
    public Attempt acquire(String username, String clientAddress) {
        String key = username.strip().toLowerCase(Locale.ROOT) + "|" + clientAddress;
        ConsumptionProbe probe = buckets.tryConsume(key);
        if (!probe.isConsumed()) {
            long retryAfter = TokenBuckets.seconds(probe.getNanosToWaitForRefill(), 1);
            throw new ApiError(429, "rate_limited", "Too Many Requests",
                    "too many failed logins for this user from this address; retry after " + retryAfter + " s",
                    List.of(), Optional.of(Duration.ofSeconds(retryAfter)), Map.of());
        }
        return new Attempt(key);
    }
}
