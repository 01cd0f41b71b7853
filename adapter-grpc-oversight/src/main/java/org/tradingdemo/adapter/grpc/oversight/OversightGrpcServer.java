package org.tradingdemo.adapter.grpc.oversight;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.tradingdemo.proto.transport.SharedEventLoop;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.ApproveRequestRequest;
import org.tradingdemo.proto.oversight.v1.ApproveRequestResponse;
import org.tradingdemo.proto.oversight.v1.CancelRequestRequest;
import org.tradingdemo.proto.oversight.v1.CancelRequestResponse;
import org.tradingdemo.proto.oversight.v1.DecisionEvent;
import org.tradingdemo.proto.oversight.v1.BatchItemError;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchResponse;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResult;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.GetRequestStatusRequest;
import org.tradingdemo.proto.oversight.v1.GetRequestStatusResponse;
import org.tradingdemo.proto.oversight.v1.ListRequestsRequest;
import org.tradingdemo.proto.oversight.v1.ListRequestsResponse;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;
import org.tradingdemo.proto.oversight.v1.RejectRequestRequest;
import org.tradingdemo.proto.oversight.v1.RejectRequestResponse;
import org.tradingdemo.proto.oversight.v1.SubmitRequestRequest;
import org.tradingdemo.proto.oversight.v1.SubmitRequestResponse;
import org.tradingdemo.proto.oversight.v1.WatchDecisionsRequest;

/**
 * The reference creto-oversight server: {@code creto.oversight.v1.OversightService} over an
 * {@link OversightAuthority}, plus {@code grpc.health.v1} and server reflection, on a network port
 * (plaintext or TLS) and/or in-process. With an API key every call (health and reflection included) must
 * carry {@code x-api-key}. A background sweep expires overdue requests every
 * {@link OversightServerConfig#sweepInterval()}.
 *
 * <p>Start once, close once. Closing is graceful: no new calls, watch streams ended with UNAVAILABLE (their
 * clients resume from their cursor), calls in flight get the configured grace. The authority outlives the
 * server: a new server over the same authority continues where this one stopped.
 */
public final class OversightGrpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OversightGrpcServer.class);
    /** The most items one EvaluateRiskBatch may carry. */
    static final int MAX_BATCH = 500;

    private final OversightServerConfig config;
    private final OversightAuthority authority;
    private final Set<DecisionWatch> watchers = ConcurrentHashMap.newKeySet();
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<Server> servers = new ArrayList<>(2);
    private ScheduledExecutorService background;
    /** The shared event loop the network server runs on, held while it is up. */
    private SharedEventLoop loop;
    private AutoCloseable decisionSubscription;
    private Server network;
    private boolean started;
    private boolean closed;

    public OversightGrpcServer(OversightServerConfig config, OversightAuthority authority) {
        this.config = Objects.requireNonNull(config, "config");
        this.authority = Objects.requireNonNull(authority, "authority");
    }

    /** A server over a fresh authority with the domain's default rules. */
    public OversightGrpcServer(OversightServerConfig config, Clock clock) {
        this(config, new OversightAuthority(clock));
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the port cannot be bound (or the TLS files cannot be read)
     */
    public synchronized OversightGrpcServer start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed; start a new server over the same authority" : "already started");
        }
        started = true;
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oversight-server-" + config.inProcessName().orElse(Integer.toString(config.port())));
            t.setDaemon(true);
            return t;
        });
        try {
            if (config.network()) {
                ServerCredentials credentials = config.tls()
                        ? TlsServerCredentials.create(config.tlsCertificateChain().get().toFile(),
                        config.tlsPrivateKey().get().toFile())
                        : InsecureServerCredentials.create();
                NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()),
                                credentials)
                        // long-lived WatchDecisions streams: let clients keep the connection alive through idle NATs
                        .permitKeepAliveTime(10, TimeUnit.SECONDS)
                        .permitKeepAliveWithoutCalls(true)
                        // no handler blocks (short locks on the authority, pure risk rules; watch streams
                        // drain on the background thread): run calls on the event loop instead of handing
                        // each to a pool thread. In-process keeps the pool: there the handler would run
                        // on the caller's thread, and tests plug in rules that stall on purpose.
                        .directExecutor();
                // on the process's one event loop, with the clients of this JVM (see SharedEventLoop)
                loop = SharedEventLoop.acquire();
                network = configure(loop.configure(builder)).build().start();
                servers.add(network);
            }
            if (config.inProcessName().isPresent()) {
                servers.add(configure(InProcessServerBuilder.forName(config.inProcessName().get())).build().start());
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        decisionSubscription = authority.onDecision(() -> watchers.forEach(DecisionWatch::schedule));
        long sweepMillis = Math.max(1, config.sweepInterval().toMillis());
        background.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(OversightServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        log.info("oversight server listening on {}", target());
        return this;
    }

    /** The bound network port (useful with port 0), or -1 when serving in-process only. */
    public int port() {
        Server s = network;
        if (s == null) {
            if (config.network()) {
                throw new IllegalStateException("not started");
            }
            return -1;
        }
        return s.getPort();
    }

    /**
     * What a client of this server connects to: {@code host:port} of the network listener, else
     * {@code in-process:<name>} (see {@link OversightClientConfig#target()}).
     */
    public String target() {
        if (config.network()) {
            String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
        }
        return inProcessTarget().orElseThrow();
    }

    /** {@code in-process:<name>} when also serving in-process. */
    public Optional<String> inProcessTarget() {
        return config.inProcessName().map(name -> OversightClientConfig.IN_PROCESS_PREFIX + name);
    }

    public OversightServerConfig config() {
        return config;
    }

    /** The state behind this server: the admin API, shared with any server restarted over it. */
    public OversightAuthority authority() {
        return authority;
    }

    // ---- local admin API (the same logic as the rpcs) ----

    public ApprovalRequest approve(String requestId, String approver, String comment) {
        return authority.approve(requestId, approver, comment);
    }

    public ApprovalRequest reject(String requestId, String approver, String reason) {
        return authority.reject(requestId, approver, reason);
    }

    public ApprovalRequest cancel(String requestId, String reason) {
        return authority.cancel(requestId, reason);
    }

    public Optional<ApprovalRequest> find(String requestId) {
        return authority.find(requestId);
    }

    /** How many WatchDecisions streams are open (for a dashboard or a status line). */
    public int watcherCount() {
        return watchers.size();
    }

    /** Graceful: stops accepting, ends watch streams with UNAVAILABLE, waits the grace, then forces. */
    @Override
    public synchronized void close() {
        if (closed || !started) {
            closed = true;
            return;
        }
        closed = true;
        health.enterTerminalState();
        closeQuietly();
        log.info("oversight server stopped");
    }

    private void closeQuietly() {
        if (decisionSubscription != null) {
            try {
                decisionSubscription.close();
            } catch (Exception e) {
                log.debug("unsubscribe failed", e);
            }
        }
        servers.forEach(Server::shutdown);
        watchers.forEach(DecisionWatch::shutdown);
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Server s : servers) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !s.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    s.shutdownNow();
                    s.awaitTermination(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (background != null) {
            background.shutdownNow();
        }
        if (loop != null) {
            loop.release();
            loop = null;
        }
    }

    private void sweep() {
        try {
            int expired = authority.expireOverdue();
            if (expired > 0) {
                log.debug("expired {} overdue approval requests", expired);
            }
        } catch (RuntimeException e) {
            log.warn("expiry sweep failed: {}", e.toString());
        }
    }

    private <B extends ServerBuilder<B>> B configure(B builder) {
        builder.addService(oversightService())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        config.apiKey().ifPresent(key -> builder.intercept(ApiKeyAuth.server(key)));
        return builder;
    }

    /** The generated service for the unary rpcs; WatchDecisions by hand, for eager headers and flow control. */
    private ServerServiceDefinition oversightService() {
        ServerServiceDefinition generated = new UnaryRpcs().bindService();
        ServerServiceDefinition.Builder def = ServerServiceDefinition.builder(OversightServiceGrpc.getServiceDescriptor());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (!m.getMethodDescriptor().getFullMethodName()
                    .equals(OversightServiceGrpc.getWatchDecisionsMethod().getFullMethodName())) {
                def.addMethod(m);
            }
        }
        def.addMethod(OversightServiceGrpc.getWatchDecisionsMethod(), (call, headers) -> {
            DecisionWatch watch = new DecisionWatch(call, authority, config.watchBufferSize(), background, watchers::remove);
            watchers.add(watch);
            watch.begin();
            return watch;
        });
        return def.build();
    }

    private final class UnaryRpcs extends OversightServiceGrpc.OversightServiceImplBase {

        @Override
        public void evaluateRisk(EvaluateRiskRequest request, StreamObserver<EvaluateRiskResponse> out) {
            answer(out, () -> authority.evaluateRisk(request));
        }

        /** Each item as {@link #evaluateRisk}; a failing item fails alone, with the status it would have had. */
        @Override
        public void evaluateRiskBatch(EvaluateRiskBatchRequest request, StreamObserver<EvaluateRiskBatchResponse> out) {
            answer(out, () -> {
                int count = request.getRequestsCount();
                if (count == 0 || count > MAX_BATCH) {
                    throw Status.INVALID_ARGUMENT.withDescription("requests must hold 1 to " + MAX_BATCH + " items, got "
                            + count).asRuntimeException();
                }
                EvaluateRiskBatchResponse.Builder b = EvaluateRiskBatchResponse.newBuilder();
                for (EvaluateRiskRequest item : request.getRequestsList()) {
                    EvaluateRiskResult.Builder r = EvaluateRiskResult.newBuilder();
                    try {
                        r.setResponse(authority.evaluateRisk(item));
                    } catch (StatusRuntimeException e) {
                        r.setError(BatchItemError.newBuilder().setCode(e.getStatus().getCode().value())
                                .setMessage(String.valueOf(e.getStatus().getDescription())));
                    } catch (RuntimeException e) {
                        log.error("oversight batch item failed", e);
                        r.setError(BatchItemError.newBuilder().setCode(Status.Code.INTERNAL.value()).setMessage("internal error"));
                    }
                    b.addResults(r);
                }
                return b.build();
            });
        }

        @Override
        public void submitRequest(SubmitRequestRequest request, StreamObserver<SubmitRequestResponse> out) {
            answer(out, () -> authority.submit(request));
        }

        @Override
        public void getRequestStatus(GetRequestStatusRequest request, StreamObserver<GetRequestStatusResponse> out) {
            answer(out, () -> GetRequestStatusResponse.newBuilder().setRequest(authority.get(request.getRequestId())).build());
        }

        @Override
        public void approveRequest(ApproveRequestRequest request, StreamObserver<ApproveRequestResponse> out) {
            answer(out, () -> ApproveRequestResponse.newBuilder()
                    .setRequest(authority.approve(request.getRequestId(), request.getApprover(), request.getComment()))
                    .build());
        }

        @Override
        public void rejectRequest(RejectRequestRequest request, StreamObserver<RejectRequestResponse> out) {
            answer(out, () -> RejectRequestResponse.newBuilder()
                    .setRequest(authority.reject(request.getRequestId(), request.getApprover(), request.getReason()))
                    .build());
        }

        @Override
        public void cancelRequest(CancelRequestRequest request, StreamObserver<CancelRequestResponse> out) {
            answer(out, () -> CancelRequestResponse.newBuilder()
                    .setRequest(authority.cancel(request.getRequestId(), request.getReason()))
                    .build());
        }

        @Override
        public void listRequests(ListRequestsRequest request, StreamObserver<ListRequestsResponse> out) {
            answer(out, () -> authority.list(request));
        }

        @Override
        public void watchDecisions(WatchDecisionsRequest request, StreamObserver<DecisionEvent> out) {
            // replaced by DecisionWatch in oversightService(); never bound
            ServerCalls.asyncUnimplementedUnaryCall(OversightServiceGrpc.getWatchDecisionsMethod(), out);
        }

        private <T> void answer(StreamObserver<T> out, Supplier<T> rpc) {
            T response;
            try {
                response = rpc.get();
            } catch (StatusRuntimeException e) {
                out.onError(e);
                return;
            } catch (RuntimeException e) {
                log.error("oversight rpc failed", e);
                out.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
                return;
            }
            out.onNext(response);
            out.onCompleted();
        }
    }
}
