package org.tradingdemo.adapter.grpc.oversight;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link GrpcApprovalClient} and {@link OversightDecisionListener} reach creto-oversight.
 *
 * @param target              a gRPC target ({@code host:port}, {@code dns:///host:port}) or
 *                            {@code in-process:<name>} for a server in this JVM
 * @param tls                 speak TLS (network targets only)
 * @param trustedCertificates PEM certificates to trust instead of the system's (a self-signed server)
 * @param authorityOverride   the name to verify the server certificate against, when it differs from the target host
 * @param apiKey              sent as {@code x-api-key} on every call
 * @param deadline            per attempt of every unary call (default 300 ms)
 * @param maxAttempts         attempts of a call on UNAVAILABLE / DEADLINE_EXCEEDED before giving up (default 3)
 * @param initialBackoff      pause before the second attempt, doubled (with jitter) up to {@code maxBackoff};
 *                            also the first reconnect pause of the listener
 * @param maxBackoff          the longest pause between attempts or reconnects
 * @param retryAfter          the {@code Retry-After} suggested to callers when the service is unavailable
 */
public record OversightClientConfig(String target, boolean tls, Optional<Path> trustedCertificates,
                                    Optional<String> authorityOverride, Optional<String> apiKey, Duration deadline,
                                    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration retryAfter) {

    public static final String IN_PROCESS_PREFIX = "in-process:";
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(300);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    public OversightClientConfig {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target is required");
        }
        trustedCertificates = trustedCertificates == null ? Optional.empty() : trustedCertificates;
        authorityOverride = authorityOverride == null ? Optional.empty() : authorityOverride;
        apiKey = apiKey == null ? Optional.empty() : apiKey;
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 10");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initialBackoff <= maxBackoff");
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        if (tls && target.startsWith(IN_PROCESS_PREFIX)) {
            throw new IllegalArgumentException("TLS does not apply to an in-process target");
        }
    }

    /** Plaintext to {@code target}, no API key, the default deadline and retries. */
    public static OversightClientConfig of(String target) {
        return new OversightClientConfig(target, false, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_DEADLINE, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_RETRY_AFTER);
    }

    public boolean inProcess() {
        return target.startsWith(IN_PROCESS_PREFIX);
    }

    /** TLS trusting the system's certificate authorities. */
    public OversightClientConfig withTls() {
        return new OversightClientConfig(target, true, trustedCertificates, authorityOverride, apiKey, deadline,
                maxAttempts, initialBackoff, maxBackoff, retryAfter);
    }

    /** TLS trusting only the given PEM certificates (e.g. a self-signed server certificate). */
    public OversightClientConfig withTls(Path trusted) {
        return new OversightClientConfig(target, true, Optional.of(trusted), authorityOverride, apiKey, deadline,
                maxAttempts, initialBackoff, maxBackoff, retryAfter);
    }

    public OversightClientConfig withAuthorityOverride(String authority) {
        return new OversightClientConfig(target, tls, trustedCertificates, Optional.of(authority), apiKey, deadline,
                maxAttempts, initialBackoff, maxBackoff, retryAfter);
    }

    public OversightClientConfig withApiKey(String key) {
        return new OversightClientConfig(target, tls, trustedCertificates, authorityOverride, Optional.of(key), deadline,
                maxAttempts, initialBackoff, maxBackoff, retryAfter);
    }

    public OversightClientConfig withDeadline(Duration perAttempt) {
        return new OversightClientConfig(target, tls, trustedCertificates, authorityOverride, apiKey, perAttempt,
                maxAttempts, initialBackoff, maxBackoff, retryAfter);
    }

    public OversightClientConfig withRetries(int attempts, Duration initial, Duration max) {
        return new OversightClientConfig(target, tls, trustedCertificates, authorityOverride, apiKey, deadline,
                attempts, initial, max, retryAfter);
    }

    public OversightClientConfig withRetryAfter(Duration hint) {
        return new OversightClientConfig(target, tls, trustedCertificates, authorityOverride, apiKey, deadline,
                maxAttempts, initialBackoff, maxBackoff, hint);
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "OversightClientConfig[target=" + target + ", tls=" + tls + ", trustedCertificates=" + trustedCertificates
                + ", authorityOverride=" + authorityOverride + ", apiKey=" + (apiKey.isPresent() ? "***" : "none")
                + ", deadline=" + deadline + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", retryAfter=" + retryAfter + "]";
    }
}
