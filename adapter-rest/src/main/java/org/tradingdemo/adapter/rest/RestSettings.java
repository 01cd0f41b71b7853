package org.tradingdemo.adapter.rest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the HTTP adapter needs to know that is not a use case.
 *
 * @param jwtSecret          HS256 key; at least 32 bytes, or the adapter refuses to start
 * @param corsOrigins        origins allowed to call the API from a browser (empty: none)
 * @param userRequestsPerHour  per-user token bucket (default 1,000/hour)
 * @param agentTradesPerMinute per-agent token bucket on trade submission (default 100/minute)
 * @param maxBodyBytes       larger bodies are refused with 413 (default 64 KiB)
 */
public record RestSettings(byte[] jwtSecret, String jwtIssuer, String jwtAudience, Duration tokenTtl,
                           List<String> corsOrigins, long userRequestsPerHour, long agentTradesPerMinute,
                           int maxBodyBytes, Clock clock) {

    public static final int MIN_SECRET_BYTES = 32;
    public static final String DEFAULT_ISSUER = "trading-demo";
    public static final String DEFAULT_AUDIENCE = "trading-demo-api";

    public RestSettings {
        Objects.requireNonNull(jwtSecret, "jwtSecret");
        if (jwtSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        jwtSecret = jwtSecret.clone();
        Objects.requireNonNull(jwtIssuer, "jwtIssuer");
        Objects.requireNonNull(jwtAudience, "jwtAudience");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        corsOrigins = List.copyOf(corsOrigins);
        if (userRequestsPerHour < 1 || agentTradesPerMinute < 1 || maxBodyBytes < 1024) {
            throw new IllegalArgumentException("rate limits must be positive and the body limit at least 1 KiB");
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** Defaults for everything but the secret. */
    public static RestSettings defaults(String secret, Clock clock) {
        return new RestSettings(secret.getBytes(StandardCharsets.UTF_8), DEFAULT_ISSUER, DEFAULT_AUDIENCE,
                Duration.ofHours(8), List.of(), 1_000, 100, 64 * 1024, clock);
    }

    @Override
    public byte[] jwtSecret() {
        return jwtSecret.clone();
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "RestSettings[issuer=" + jwtIssuer + ", audience=" + jwtAudience + ", tokenTtl=" + tokenTtl
                + ", corsOrigins=" + corsOrigins + ", userRequestsPerHour=" + userRequestsPerHour
                + ", agentTradesPerMinute=" + agentTradesPerMinute + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
}
