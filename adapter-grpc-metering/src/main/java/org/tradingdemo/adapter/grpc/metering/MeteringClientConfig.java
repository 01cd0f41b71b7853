package org.tradingdemo.adapter.grpc.metering;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link GrpcQuotaClient} reaches a metering service.
 *
 * @param target      a gRPC target ({@code dns:///127.0.0.1:50051}, {@code metering.internal:443}) or
 *                    {@code in-process:<name>} for a server started with
 *                    {@link MeteringGrpcServer#startInProcess(String)}
 * @param deadline    per attempt; the whole call takes at most about {@code maxAttempts × deadline}
 *                    plus the backoff between attempts
 * @param maxAttempts attempts per call, the first included (1 = no retry)
 * @param apiKey      sent as {@code x-api-key} metadata on every call
 * @param trustCa     PEM CA certificates to trust for TLS; empty = the JDK's default trust store
 * @param plaintext   no TLS (loopback and in-process only, in practice)
 */
public record MeteringClientConfig(String target, Duration deadline, int maxAttempts, Optional<String> apiKey,
                                   Optional<Path> trustCa, boolean plaintext) {

    public static final String IN_PROCESS_PREFIX = "in-process:";
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(300);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final Duration MAX_DEADLINE = Duration.ofMinutes(1);
    private static final int MAX_ATTEMPTS = 10;

    public MeteringClientConfig {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("metering target is required");
        }
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("metering deadline must be greater than 0 and at most 1 minute, got " + deadline);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("metering max attempts must be 1 to " + MAX_ATTEMPTS + ", got " + maxAttempts);
        }
        apiKey = Objects.requireNonNullElse(apiKey, Optional.empty());
        trustCa = Objects.requireNonNullElse(trustCa, Optional.empty());
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("metering API key must not be blank");
        }
        if (plaintext && trustCa.isPresent()) {
            throw new IllegalArgumentException("a trusted CA is for TLS; it makes no sense with plaintext");
        }
        if (target.startsWith(IN_PROCESS_PREFIX) && target.length() == IN_PROCESS_PREFIX.length()) {
            throw new IllegalArgumentException("in-process metering target needs a name: in-process:<name>");
        }
    }

    /** Plaintext to {@code target}, default deadline and attempts, no API key. */
    public static MeteringClientConfig plaintext(String target) {
        return new MeteringClientConfig(target, DEFAULT_DEADLINE, DEFAULT_MAX_ATTEMPTS, Optional.empty(), Optional.empty(), true);
    }

    /** TLS to {@code target}, trusting {@code trustCa} (or the JDK's trust store when empty). */
    public static MeteringClientConfig tls(String target, Optional<Path> trustCa) {
        return new MeteringClientConfig(target, DEFAULT_DEADLINE, DEFAULT_MAX_ATTEMPTS, Optional.empty(), trustCa, false);
    }

    /** A server in the same JVM, see {@link MeteringGrpcServer#startInProcess(String)}. */
    public static MeteringClientConfig inProcess(String name) {
        return plaintext(IN_PROCESS_PREFIX + name);
    }

    public MeteringClientConfig withDeadline(Duration deadline) {
        return new MeteringClientConfig(target, deadline, maxAttempts, apiKey, trustCa, plaintext);
    }

    public MeteringClientConfig withMaxAttempts(int maxAttempts) {
        return new MeteringClientConfig(target, deadline, maxAttempts, apiKey, trustCa, plaintext);
    }

    public MeteringClientConfig withApiKey(String apiKey) {
        return new MeteringClientConfig(target, deadline, maxAttempts, Optional.of(apiKey), trustCa, plaintext);
    }

    public boolean inProcess() {
        return target.startsWith(IN_PROCESS_PREFIX);
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "MeteringClientConfig[target=" + target + ", deadline=" + deadline + ", maxAttempts=" + maxAttempts
                + ", apiKey=" + (apiKey.isPresent() ? "***" : "-") + ", trustCa=" + trustCa.map(Path::toString).orElse("-")
                + ", plaintext=" + plaintext + "]";
    }
}
