package org.tradingdemo.adapter.grpc.oversight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;

/** A reference server in this JVM over a fresh authority with a hand-moved clock, and a channel to it. */
final class InProcessOversight implements AutoCloseable {

    final MutableClock clock = new MutableClock(Fixtures.T0);
    final OversightAuthority authority;
    final String name = Fixtures.uid("oversight");
    private final OversightServerConfig config;
    private final ManagedChannel channel;
    private OversightGrpcServer server;

    InProcessOversight() {
        this(RiskRules.defaults(), UnaryOperator.identity());
    }

    InProcessOversight(RiskRules rules, UnaryOperator<OversightServerConfig> tweak) {
        this(rules, OversightAuthority.DEFAULT_RETAINED_EVENTS, tweak);
    }

    InProcessOversight(RiskRules rules, int retainedEvents, UnaryOperator<OversightServerConfig> tweak) {
        authority = new OversightAuthority(clock, rules, retainedEvents);
        config = tweak.apply(OversightServerConfig.inProcess(name).withShutdownGrace(Duration.ofSeconds(2)));
        channel = InProcessChannelBuilder.forName(name).build();
        start();
    }

    /** (Re)starts a server over the same authority under the same name. */
    void start() {
        try {
            server = new OversightGrpcServer(config, authority).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        server.close();
    }

    OversightGrpcServer server() {
        return server;
    }

    String target() {
        return OversightClientConfig.IN_PROCESS_PREFIX + name;
    }

    ManagedChannel channel() {
        return channel;
    }

    OversightServiceGrpc.OversightServiceBlockingStub stub() {
        return OversightServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    OversightServiceGrpc.OversightServiceStub async() {
        return OversightServiceGrpc.newStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
    }
}
