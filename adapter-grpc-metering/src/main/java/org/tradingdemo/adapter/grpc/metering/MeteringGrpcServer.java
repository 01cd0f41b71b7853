package org.tradingdemo.adapter.grpc.metering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.tradingdemo.proto.transport.SharedEventLoop;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;

/**
 * The reference metering server, standing in for creto-metering: {@code MeteringService} over an
 * in-memory {@link MeteringBook}, plus {@code grpc.health.v1.Health} (SERVING while up, NOT_SERVING
 * from the start of shutdown) and server reflection ({@code grpc.reflection.v1}). Optional TLS and
 * an optional shared API key, checked on every call.
 *
 * <p>Serve over TCP with {@link #start()} (Netty, bound to the configured host) or inside the JVM
 * with {@link #startInProcess(String)}. One start per instance; to restart, make a new server over
 * the same {@link MeteringBook} to keep the state.
 */
public final class MeteringGrpcServer implements AutoCloseable {

    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(MeteringGrpcServer.class);

    private final MeteringServerConfig config;
    private final MeteringBook book;
    private final List<ServerInterceptor> extraInterceptors;
    private final HealthStatusManager health = new HealthStatusManager();
    private Server server;
    /** The shared event loop the TCP server runs on, held while it is up. */
    private SharedEventLoop loop;
    private String inProcessName;

    public MeteringGrpcServer(MeteringServerConfig config, Clock clock) {
        this(config, new MeteringBook(clock), List.of());
    }

    /**
     * @param book              the state to serve (share it across restarts to keep it)
     * @param extraInterceptors applied to the metering calls after the API-key check, first = outermost
     *                          (metrics, fault injection)
     */
    public MeteringGrpcServer(MeteringServerConfig config, MeteringBook book, List<ServerInterceptor> extraInterceptors) {
        this.config = Objects.requireNonNull(config, "config");
        this.book = Objects.requireNonNull(book, "book");
        this.extraInterceptors = List.copyOf(extraInterceptors);
    }

    /** Binds {@code host:port} (Netty; TLS when configured) and serves. */
    public synchronized MeteringGrpcServer start() {
        requireNotStarted();
        ServerCredentials credentials = config.tls()
                ? tlsCredentials()
                : InsecureServerCredentials.create();
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        // on the process's one event loop, with the clients of this JVM (see SharedEventLoop)
        SharedEventLoop shared = SharedEventLoop.acquire();
        Server s;
        try {
            s = configure(shared.configure(NettyServerBuilder.forAddress(address, credentials))).build().start();
        } catch (IOException e) {
            shared.release();
            throw new UncheckedIOException("cannot start the metering gRPC server on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        }
        server = s;
        loop = shared;
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(MeteringServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        log.info("metering gRPC server listening on {}:{} ({}{})", config.host(), port(), config.tls() ? "TLS" : "plaintext",
                config.apiKey().isPresent() ? ", API key required" : "");
        return this;
    }

    /** Serves inside this JVM under {@code name} (no TLS; the API key, when configured, still applies). */
    public synchronized MeteringGrpcServer startInProcess(String name) {
        requireNotStarted();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("in-process server name is required");
        }
        Server s = configure(InProcessServerBuilder.forName(name)).build();
        try {
            s.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the in-process metering server " + name + ": " + e.getMessage(), e);
        }
        server = s;
        inProcessName = name;
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(MeteringServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        log.info("metering gRPC server serving in-process as {}", name);
        return this;
    }

    /** The bound TCP port (the actual one when configured with 0). */
    public synchronized int port() {
        if (server == null || inProcessName != null) {
            throw new IllegalStateException("the metering server is not listening on TCP");
        }
        return server.getPort();
    }

    /** A target a {@link GrpcQuotaClient} can use: {@code dns:///host:port} or {@code in-process:name}. */
    public synchronized String target() {
        if (server == null) {
            throw new IllegalStateException("the metering server is not started");
        }
        if (inProcessName != null) {
            return MeteringClientConfig.IN_PROCESS_PREFIX + inProcessName;
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "dns:///" + host + ":" + port();
    }

    public MeteringBook book() {
        return book;
    }

    public MeteringServerConfig config() {
        return config;
    }

    public synchronized Optional<String> inProcessName() {
        return Optional.ofNullable(inProcessName);
    }

    public synchronized boolean isRunning() {
        return server != null && !server.isShutdown();
    }

    /** Blocks until the server has stopped (for a stand-alone {@code metering-server} main thread). */
    public void awaitTermination() throws InterruptedException {
        Server s;
        synchronized (this) {
            s = server;
        }
        if (s == null) {
            throw new IllegalStateException("the metering server is not started");
        }
        s.awaitTermination();
    }

    /** Graceful stop with {@link #DEFAULT_SHUTDOWN_GRACE}. */
    @Override
    public void close() {
        close(DEFAULT_SHUTDOWN_GRACE);
    }

    /**
     * Health goes NOT_SERVING, new calls are refused, calls in flight get up to {@code grace} to
     * finish; then whatever is left (health watchers, say) is cancelled. Idempotent.
     */
    public void close(Duration grace) {
        Server s;
        synchronized (this) {
            s = server;
            if (s == null || s.isShutdown()) {
                return;
            }
            health.enterTerminalState();
            s.shutdown();
        }
        try {
            if (!s.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("metering gRPC server did not stop within {}; cancelling the calls left", grace);
                s.shutdownNow();
                s.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
        SharedEventLoop held;
        synchronized (this) {
            held = loop;
            loop = null;
        }
        if (held != null) {
            held.release();
        }
        log.info("metering gRPC server stopped");
    }

    private <B extends ServerBuilder<B>> B configure(B builder) {
        builder.addService(ServerInterceptors.intercept(new MeteringGrpcHandler(book), reversed(extraInterceptors)))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        // ServerBuilder.intercept wraps every service, health and reflection included
        config.apiKey().ifPresent(key -> builder.intercept(new ApiKeyServerInterceptor(key)));
        if (extraInterceptors.isEmpty()) {
            // every handler here only takes a short lock on the book: run it on the transport thread
            // instead of handing each call to a pool thread. Interceptors from outside may block
            // (fault injection sleeps), so with them the calls keep gRPC's default executor.
            builder.directExecutor();
        }
        return builder;
    }

    /** ServerInterceptors.intercept makes the last one outermost; callers list the outermost first. */
    private static List<ServerInterceptor> reversed(List<ServerInterceptor> interceptors) {
        List<ServerInterceptor> copy = new ArrayList<>(interceptors);
        Collections.reverse(copy);
        return copy;
    }

    private ServerCredentials tlsCredentials() {
        try {
            return TlsServerCredentials.create(config.tlsCert().orElseThrow().toFile(), config.tlsKey().orElseThrow().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metering server's TLS certificate or key: " + e.getMessage(), e);
        }
    }

    private void requireNotStarted() {
        if (server != null) {
            throw new IllegalStateException("the metering server was already started; make a new one to restart");
        }
    }
}
