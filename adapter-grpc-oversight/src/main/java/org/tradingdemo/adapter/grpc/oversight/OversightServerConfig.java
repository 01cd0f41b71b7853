package org.tradingdemo.adapter.grpc.oversight;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the reference oversight server is reached and protected.
 *
 * @param host                network interface to bind ({@code 127.0.0.1} by default: loopback only)
 * @param port                TCP port; 0 picks a free one ({@link OversightGrpcServer#port()} tells which);
 *                            {@link #NO_NETWORK} serves in-process only
 * @param inProcessName       also (or only) serve in-process under this name: tests, and the launcher's
 *                            embedded default, whose clients then use target {@code in-process:<name>}
 * @param tlsCertificateChain PEM certificate chain; with {@code tlsPrivateKey} the network port speaks TLS
 * @param tlsPrivateKey       PEM private key (PKCS#8) of that certificate
 * @param apiKey              when present every call must carry it in {@code x-api-key} (else UNAUTHENTICATED)
 * @param sweepInterval       how often overdue requests are expired in the background (reads expire lazily too)
 * @param watchBufferSize     how many decisions a live WatchDecisions stream may lag behind before it is
 *                            cancelled with RESOURCE_EXHAUSTED (the client resumes from its cursor)
 * @param shutdownGrace       how long {@link OversightGrpcServer#close()} lets calls in flight finish
 */
public record OversightServerConfig(String host, int port, Optional<String> inProcessName,
                                    Optional<Path> tlsCertificateChain, Optional<Path> tlsPrivateKey,
                                    Optional<String> apiKey, Duration sweepInterval, int watchBufferSize,
                                    Duration shutdownGrace) {

    /** {@link #port} value: no network listener, in-process only. */
    public static final int NO_NETWORK = -1;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_WATCH_BUFFER = 1024;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    public OversightServerConfig {
        Objects.requireNonNull(host, "host");
        inProcessName = inProcessName == null ? Optional.empty() : inProcessName.filter(n -> !n.isBlank());
        tlsCertificateChain = tlsCertificateChain == null ? Optional.empty() : tlsCertificateChain;
        tlsPrivateKey = tlsPrivateKey == null ? Optional.empty() : tlsPrivateKey;
        apiKey = apiKey == null ? Optional.empty() : apiKey;
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (port < NO_NETWORK || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535 (or NO_NETWORK): " + port);
        }
        if (port == NO_NETWORK && inProcessName.isEmpty()) {
            throw new IllegalArgumentException("a server needs a network port or an in-process name");
        }
        if (tlsCertificateChain.isPresent() != tlsPrivateKey.isPresent()) {
            throw new IllegalArgumentException("TLS needs both a certificate chain and a private key");
        }
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive");
        }
        if (watchBufferSize < 1) {
            throw new IllegalArgumentException("watchBufferSize must be at least 1");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative");
        }
    }

    /** Plaintext on {@code 127.0.0.1:port} (0: a free port), no API key. */
    public static OversightServerConfig loopback(int port) {
        return new OversightServerConfig(DEFAULT_HOST, port, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_SWEEP_INTERVAL, DEFAULT_WATCH_BUFFER, DEFAULT_SHUTDOWN_GRACE);
    }

    /** In-process only, under {@code name}. */
    public static OversightServerConfig inProcess(String name) {
        return new OversightServerConfig(DEFAULT_HOST, NO_NETWORK, Optional.of(name), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_SWEEP_INTERVAL, DEFAULT_WATCH_BUFFER, DEFAULT_SHUTDOWN_GRACE);
    }

    public boolean tls() {
        return tlsCertificateChain.isPresent();
    }

    public boolean network() {
        return port != NO_NETWORK;
    }

    public OversightServerConfig withHost(String newHost) {
        return new OversightServerConfig(newHost, port, inProcessName, tlsCertificateChain, tlsPrivateKey, apiKey,
                sweepInterval, watchBufferSize, shutdownGrace);
    }

    public OversightServerConfig withPort(int newPort) {
        return new OversightServerConfig(host, newPort, inProcessName, tlsCertificateChain, tlsPrivateKey, apiKey,
                sweepInterval, watchBufferSize, shutdownGrace);
    }

    public OversightServerConfig withInProcessName(String name) {
        return new OversightServerConfig(host, port, Optional.of(name), tlsCertificateChain, tlsPrivateKey, apiKey,
                sweepInterval, watchBufferSize, shutdownGrace);
    }

    public OversightServerConfig withTls(Path certificateChain, Path privateKey) {
        return new OversightServerConfig(host, port, inProcessName, Optional.of(certificateChain), Optional.of(privateKey),
                apiKey, sweepInterval, watchBufferSize, shutdownGrace);
    }

    public OversightServerConfig withApiKey(String key) {
        return new OversightServerConfig(host, port, inProcessName, tlsCertificateChain, tlsPrivateKey, Optional.of(key),
                sweepInterval, watchBufferSize, shutdownGrace);
    }

    public OversightServerConfig withSweepInterval(Duration interval) {
        return new OversightServerConfig(host, port, inProcessName, tlsCertificateChain, tlsPrivateKey, apiKey,
                interval, watchBufferSize, shutdownGrace);
    }

    public OversightServerConfig withWatchBufferSize(int size) {
        return new OversightServerConfig(host, port, inProcessName, tlsCertificateChain, tlsPrivateKey, apiKey,
                sweepInterval, size, shutdownGrace);
    }

    public OversightServerConfig withShutdownGrace(Duration grace) {
        return new OversightServerConfig(host, port, inProcessName, tlsCertificateChain, tlsPrivateKey, apiKey,
                sweepInterval, watchBufferSize, grace);
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "OversightServerConfig[host=" + host + ", port=" + port + ", inProcessName=" + inProcessName
                + ", tls=" + tls() + ", apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", sweepInterval="
                + sweepInterval + ", watchBufferSize=" + watchBufferSize + ", shutdownGrace=" + shutdownGrace + "]";
    }
}
