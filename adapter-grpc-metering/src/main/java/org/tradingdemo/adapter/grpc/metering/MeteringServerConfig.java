package org.tradingdemo.adapter.grpc.metering;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the reference metering server listens.
 *
 * @param host    the interface to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port    the TCP port; {@code 0} picks a free one (read it back with {@link MeteringGrpcServer#port()})
 * @param tlsCert PEM certificate chain; with {@code tlsKey}, the server speaks TLS only
 * @param tlsKey  PEM private key (PKCS#8) of {@code tlsCert}
 * @param apiKey  when present, every call must carry it as {@code x-api-key} metadata
 */
public record MeteringServerConfig(String host, int port, Optional<Path> tlsCert, Optional<Path> tlsKey,
                                   Optional<String> apiKey) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 50051;

    public MeteringServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("metering server host is required");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("metering server port must be 0 to 65535, got " + port);
        }
        tlsCert = Objects.requireNonNullElse(tlsCert, Optional.empty());
        tlsKey = Objects.requireNonNullElse(tlsKey, Optional.empty());
        apiKey = Objects.requireNonNullElse(apiKey, Optional.empty());
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("metering server TLS needs both a certificate chain and a private key");
        }
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("metering server API key must not be blank");
        }
    }

    /** Loopback, plaintext, no API key. */
    public static MeteringServerConfig loopback(int port) {
        return new MeteringServerConfig(DEFAULT_HOST, port, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public MeteringServerConfig withHost(String host) {
        return new MeteringServerConfig(host, port, tlsCert, tlsKey, apiKey);
    }

    public MeteringServerConfig withPort(int port) {
        return new MeteringServerConfig(host, port, tlsCert, tlsKey, apiKey);
    }

    public MeteringServerConfig withTls(Path certChainPem, Path privateKeyPem) {
        return new MeteringServerConfig(host, port, Optional.of(certChainPem), Optional.of(privateKeyPem), apiKey);
    }

    public MeteringServerConfig withApiKey(String apiKey) {
        return new MeteringServerConfig(host, port, tlsCert, tlsKey, Optional.of(apiKey));
    }

    public boolean tls() {
        return tlsCert.isPresent();
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "MeteringServerConfig[host=" + host + ", port=" + port + ", tlsCert=" + tlsCert.map(Path::toString).orElse("-")
                + ", tlsKey=" + tlsKey.map(Path::toString).orElse("-") + ", apiKey=" + (apiKey.isPresent() ? "***" : "-") + "]";
    }
}
