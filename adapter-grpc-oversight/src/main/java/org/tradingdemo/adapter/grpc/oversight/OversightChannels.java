package org.tradingdemo.adapter.grpc.oversight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.tradingdemo.proto.transport.SharedEventLoop;

/** Builds the channel a client config describes, and the shared backoff rule. */
final class OversightChannels {

    private OversightChannels() {
    }

    static ManagedChannel open(OversightClientConfig config) {
        return open(config, false);
    }

    /**
     * @param directExecutor handle answers on the transport thread: only for a client whose callbacks never
     *                       block (they complete futures); blocking stubs run on their caller anyway
     */
    static ManagedChannel open(OversightClientConfig config, boolean directExecutor) {
        return open(config, directExecutor, Optional.empty());
    }

    /**
     * @param loop the event loop to run a network channel on (the process's shared one); empty: gRPC's
     *             default group. Ignored for an in-process target.
     */
    static ManagedChannel open(OversightClientConfig config, boolean directExecutor, Optional<SharedEventLoop> loop) {
        ManagedChannelBuilder<?> builder;
        if (config.inProcess()) {
            builder = InProcessChannelBuilder.forName(config.target().substring(OversightClientConfig.IN_PROCESS_PREFIX.length()));
        } else {
            NettyChannelBuilder netty = NettyChannelBuilder.forTarget(config.target(), credentials(config))
                    // detects a dead peer on the long-lived WatchDecisions stream
                    .keepAliveTime(30, TimeUnit.SECONDS)
                    .keepAliveTimeout(10, TimeUnit.SECONDS);
            builder = loop.map(l -> l.configure(netty)).orElse(netty);
            config.authorityOverride().ifPresent(builder::overrideAuthority);
        }
        config.apiKey().ifPresent(key -> builder.intercept(ApiKeyAuth.client(key)));
        if (directExecutor) {
            builder.directExecutor();
        }
        return builder.build();
    }

    private static ChannelCredentials credentials(OversightClientConfig config) {
        if (!config.tls()) {
            return InsecureChannelCredentials.create();
        }
        if (config.trustedCertificates().isEmpty()) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(config.trustedCertificates().get().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted certificates " + config.trustedCertificates().get(), e);
        }
    }

    /** {@code initial × 2^(attempt-1)}, capped, with ±20 % jitter so clients do not retry in lockstep. */
    static Duration backoff(OversightClientConfig config, int attempt) {
        long initial = config.initialBackoff().toMillis();
        long cap = config.maxBackoff().toMillis();
        long base = Math.min(cap, initial << Math.min(Math.max(attempt - 1, 0), 20));
        long jitter = base / 5;
        long millis = jitter == 0 ? base : base - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1);
        return Duration.ofMillis(Math.max(0, Math.min(cap, millis)));
    }

    static void shutdown(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
