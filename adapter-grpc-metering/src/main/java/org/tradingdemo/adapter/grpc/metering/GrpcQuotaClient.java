package org.tradingdemo.adapter.grpc.metering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.Pending;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.proto.batching.BatchRpc;
import org.tradingdemo.proto.batching.BatchRpc.BatchUnsupported;
import org.tradingdemo.proto.batching.Coalescer;
import org.tradingdemo.proto.transport.SharedEventLoop;
import org.tradingdemo.proto.metering.v1.BatchItemError;
import org.tradingdemo.proto.metering.v1.CompleteUsageRequest;
import org.tradingdemo.proto.metering.v1.CompleteUsageResponse;
import org.tradingdemo.proto.metering.v1.GetQuotaStatusRequest;
import org.tradingdemo.proto.metering.v1.GetQuotaStatusResponse;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc.MeteringServiceBlockingStub;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc.MeteringServiceStub;
import org.tradingdemo.proto.metering.v1.TrackUsageRequest;
import org.tradingdemo.proto.metering.v1.TrackUsageResponse;
import org.tradingdemo.proto.metering.v1.UsageBatchItem;
import org.tradingdemo.proto.metering.v1.UsageBatchRequest;
import org.tradingdemo.proto.metering.v1.UsageBatchResponse;
import org.tradingdemo.proto.metering.v1.UsageBatchResult;

/**
 * {@link QuotaPort} over creto.metering.v1: reserve → {@code TrackUsage}, complete / release →
 * {@code CompleteUsage}, status → {@code GetQuotaStatus}. Money crosses as exact decimal strings.
 *
 * <p><b>Deadlines and retries, by hand.</b> Every attempt has its own deadline
 * ({@link MeteringClientConfig#deadline()}); an attempt that ends {@code UNAVAILABLE},
 * {@code DEADLINE_EXCEEDED} or {@code RESOURCE_EXHAUSTED} is retried after an exponential backoff
 * with jitter, up to {@link MeteringClientConfig#maxAttempts()} attempts; then the call throws
 * {@link MeteringUnavailableException}. Every call is safe to repeat: TrackUsage by its idempotency
 * key (the trade id), CompleteUsage by the reservation id, GetQuotaStatus reads. gRPC's own retry
 * policy (service config) is not used because in grpc-java a call's deadline spans all its
 * attempts, so a hung server would use up the whole budget in the first attempt and
 * {@code DEADLINE_EXCEEDED} could never be retried; the retry policy's {@code perAttemptRecvTimeout}
 * is parsed but not applied by grpc-java (grpc/grpc-java#12919). By hand we also choose which
 * failures are outages and which are bugs, and what the caller is told to wait.
 *
 * <p>{@code INVALID_ARGUMENT}, {@code UNAUTHENTICATED}, {@code PERMISSION_DENIED},
 * {@code UNIMPLEMENTED}, {@code FAILED_PRECONDITION} and {@code OUT_OF_RANGE} are bugs or
 * misconfiguration, not outages: {@link IllegalStateException}, no retry. Any other failure
 * ({@code INTERNAL}, {@code UNKNOWN}, …) is an outage of the metering service, reported at once.
 *
 * <p>Reconnecting. After the server went away the channel waits out its own reconnect backoff (1 s
 * growing to two minutes) and meanwhile fails calls at once. So that a restarted server is used
 * straight away, a failed attempt — and {@link #isReady()} — reset that backoff when the channel is
 * in {@code TRANSIENT_FAILURE} (at most every {@value #RECONNECT_NUDGE_MILLIS} ms, so an outage
 * under load does not turn into a connection storm), and retries are sent wait-for-ready: they ride
 * on the reconnect instead of failing on the stale state, still within their deadline. The first
 * attempt fails fast. So against a server that is down a call gives up after about
 * {@code (maxAttempts - 1) × deadline} plus the backoff.
 *
 * <p><b>Coalescing.</b> Reservations and completions made concurrently by many threads travel
 * together: while one {@code UsageBatch} is in flight, the calls that arrive meanwhile gather and
 * go out as the next batch when it returns (group commit, see
 * {@link Coalescer}); an idle client sends a batch of one at once. Each attempt of each call keeps
 * its own deadline (a batch carries the earliest of its items'), retries and failure handling are
 * per call exactly as above, a failed batch fails each of its callers (closed), and a repeated item
 * is harmless (idempotency key, reservation id). The server decides each item on its own under the
 * agent's lock, so reservations stay atomic. A batch waits for the connection when any of its items
 * is a retry, so a first attempt that shares a batch with retries may use its whole deadline instead
 * of failing fast: the budget of a call is then at most {@code maxAttempts × deadline} plus the
 * backoff. A server without the batch rpc ({@code UNIMPLEMENTED}) is then called with the single rpcs.
 */
public final class GrpcQuotaClient implements QuotaPort, AutoCloseable {

    /** What callers are told to wait before trying again when metering is out. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    static final long RECONNECT_NUDGE_MILLIS = 50;
    /** The most calls one batch carries (the server takes up to 500). */
    static final int MAX_BATCH = 128;
    /** How long past its deadline a caller waits for its batch's answer before calling it a timeout. */

    private static final Logger log = LoggerFactory.getLogger(GrpcQuotaClient.class);
    private static final Set<Status.Code> RETRYABLE =
            EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);
    private static final Set<Status.Code> CALLER_BUGS = EnumSet.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED, Status.Code.UNIMPLEMENTED,
            Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE);

    private final MeteringClientConfig config;
    private final ManagedChannel channel;
    private final Optional<SharedEventLoop> loop;
    private final MeteringServiceBlockingStub stub;
    private final MeteringServiceStub asyncStub;
    /** Reservations and completions, in one stream of batches. */
    private final Coalescer<UsageBatchItem, UsageBatchResult> usage;
    /** False once the server answered a batch rpc UNIMPLEMENTED (or coalescing was switched off). */
    private volatile boolean batching;
    private final long deadlineNanos;
    private final AtomicLong lastNudgeNanos = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
    /** The last call's outcome reached the server (a denial counts as reaching it). */
    private volatile boolean lastCallReachedServer;

    /** A client that coalesces concurrent reservations and completions. */
    public GrpcQuotaClient(MeteringClientConfig config) {
        this(config, true);
    }

    /** @param coalesce whether concurrent reservations and completions travel as batches */
    public GrpcQuotaClient(MeteringClientConfig config, boolean coalesce) {
        this.config = Objects.requireNonNull(config, "config");
        // a network channel runs on the process's one shared event loop (with the embedded servers)
        this.loop = config.inProcess() ? Optional.empty() : Optional.of(SharedEventLoop.acquire());
        try {
            this.channel = channel(config, loop);
        } catch (RuntimeException e) {
            loop.ifPresent(SharedEventLoop::release);
            throw e;
        }
        this.stub = MeteringServiceGrpc.newBlockingStub(channel);
        this.asyncStub = MeteringServiceGrpc.newStub(channel);
        this.batching = coalesce;
        this.usage = new Coalescer<>((items, deadline, waitForReady) -> {
            CompletableFuture<UsageBatchResponse> answer = new CompletableFuture<>();
            batchStub(deadline, waitForReady).usageBatch(UsageBatchRequest.newBuilder().addAllItems(items).build(),
                    BatchRpc.observer(answer));
            return answer.thenApply(UsageBatchResponse::getResultsList);
        }, MAX_BATCH, 1);
        this.deadlineNanos = config.deadline().toNanos();
        // connect now, in the background: the first trade should not pay for name resolution,
        // TCP and TLS handshakes inside its 300 ms deadline
        channel.getState(true);
    }

    @Override
    public QuotaDecision reserve(QuotaRequest request) {
        TrackUsageRequest wire = trackUsageRequest(request);
        return decision(call("TrackUsage", retry -> trackUsage(wire, retry)));
    }

    /**
     * Sends the first attempt of the reservation now (in the next {@code UsageBatch}) and returns; the
     * caller collects the answer with {@link Pending#await}, where any retries run exactly as in
     * {@link #reserve} (its own deadline per attempt, backoff, {@link MeteringUnavailableException} at
     * the end). Without batching the reservation is made when awaited.
     */
    @Override
    public Pending<QuotaDecision> startReserve(QuotaRequest request) {
        if (!batching || channel.isShutdown()) {
            return () -> reserve(request);
        }
        TrackUsageRequest wire = trackUsageRequest(request);
        CompletableFuture<UsageBatchResult> first = usage.submit(UsageBatchItem.newBuilder().setTrackUsage(wire).build(),
                System.nanoTime() + deadlineNanos, false);
        return () -> decision(call("TrackUsage", retry -> retry ? trackUsage(wire, true)
                : answerOf(first, UsageBatchResult.OutcomeCase.TRACK_USAGE, UsageBatchResult::getTrackUsage,
                "a reservation").orElseGet(() -> stub(false).trackUsage(wire))));
    }

    private static TrackUsageRequest trackUsageRequest(QuotaRequest request) {
        return TrackUsageRequest.newBuilder()
                .setAgentId(request.agentId().value())
                .setAmount(ProtoMapping.money(request.amount()))
                .setLimits(limits(request.limits()))
                .setIdempotencyKey(request.idempotencyKey())
                .build();
    }

    private static QuotaDecision decision(TrackUsageResponse response) {
        QuotaCheck check = checkOf(response.hasStatus(), () -> ProtoMapping.check(response.getStatus(), response.getAllowed()));
        if (!response.getAllowed()) {
            return new Denied(check);
        }
        if (response.getReservationId().isEmpty()) {
            throw new IllegalStateException("metering granted a reservation without a reservation_id");
        }
        return new Granted(response.getReservationId(), check);
    }

    @Override
    public void complete(String reservationId) {
        completeUsage(reservationId, CompleteUsageRequest.Outcome.OUTCOME_COMMIT);
    }

    /**
     * One attempt of {@link #complete}, sent in the next {@code UsageBatch} without waiting for it:
     * the future completes (on the transport thread) once metering has counted the reservation, or
     * exceptionally with a {@link MeteringUnavailableException} (the outbox retries it later; the
     * completion is idempotent by reservation id). A {@code UsageBatch} is never resent here: a
     * retry is the outbox's.
     */
    @Override
    public CompletableFuture<Void> completeAsync(String reservationId) {
        Objects.requireNonNull(reservationId, "reservationId");
        if (channel.isShutdown()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the metering client is closed"));
        }
        CompleteUsageRequest wire = CompleteUsageRequest.newBuilder()
                .setReservationId(reservationId)
                .setOutcome(CompleteUsageRequest.Outcome.OUTCOME_COMMIT)
                .build();
        CompletableFuture<CompleteUsageResponse> answer = batching
                ? usage.submit(UsageBatchItem.newBuilder().setCompleteUsage(wire).build(), System.nanoTime() + deadlineNanos,
                        false).thenApply(GrpcQuotaClient::completion)
                .exceptionallyCompose(e -> unwrap(e) instanceof BatchUnsupported ? singleCompletion(wire)
                        : CompletableFuture.failedFuture(unwrap(e)))
                : singleCompletion(wire);
        return answer.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                Status status = Status.fromThrowable(cause);
                lastCallReachedServer = !RETRYABLE.contains(status.getCode());
                throw new MeteringUnavailableException("metering CompleteUsage failed: " + describe(status) + " ("
                        + config.target() + ")", RETRY_AFTER, cause);
            }
            lastCallReachedServer = true;
            completed(reservationId, CompleteUsageRequest.Outcome.OUTCOME_COMMIT, response);
            return null;
        });
    }

    /** A completion's item of a {@code UsageBatch}, as the single rpc would answer or fail. */
    private static CompleteUsageResponse completion(UsageBatchResult result) {
        if (result.hasError()) {
            throw itemFailure(result.getError());
        }
        if (result.getOutcomeCase() != UsageBatchResult.OutcomeCase.COMPLETE_USAGE) {
            throw Status.INTERNAL.withDescription("UsageBatch answered a completion with " + result.getOutcomeCase())
                    .asRuntimeException();
        }
        return result.getCompleteUsage();
    }

    /** {@code CompleteUsage} alone, asynchronously (a server without the batch rpc). */
    private CompletableFuture<CompleteUsageResponse> singleCompletion(CompleteUsageRequest wire) {
        noBatching();
        CompletableFuture<CompleteUsageResponse> answer = new CompletableFuture<>();
        asyncStub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS).completeUsage(wire, BatchRpc.observer(answer));
        return answer;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void release(String reservationId) {
        completeUsage(reservationId, CompleteUsageRequest.Outcome.OUTCOME_RELEASE);
    }

    @Override
    public QuotaCheck status(AgentId agentId, QuotaLimits limits, UsagePeriod period) {
        GetQuotaStatusRequest wire = GetQuotaStatusRequest.newBuilder()
                .setAgentId(agentId.value())
                .setPeriod(ProtoMapping.period(period))
                .setLimits(limits(limits))
                .build();
        GetQuotaStatusResponse response = call("GetQuotaStatus", retry -> stub(retry).getQuotaStatus(wire));
        return checkOf(response.hasStatus(), () -> ProtoMapping.check(response.getStatus(), null));
    }

    /**
     * For {@code /ready}; never blocks. READY → true; IDLE or CONNECTING → whether the last call got
     * through (and IDLE starts connecting, so the next probe knows); TRANSIENT_FAILURE or SHUTDOWN →
     * false.
     */
    public boolean isReady() {
        ConnectivityState state = channel.getState(false);
        switch (state) {
            case READY:
                return true;
            case IDLE:
                channel.getState(true);
                return lastCallReachedServer;
            case CONNECTING:
                return lastCallReachedServer;
            case TRANSIENT_FAILURE:
                nudgeReconnect();
                return false;
            default:
                return false;
        }
    }

    public MeteringClientConfig config() {
        return config;
    }

    /** Whether calls currently travel in batches (false after the server turned out not to have the batch rpcs). */
    public boolean coalescing() {
        return batching;
    }

    /** Batches sent and the reservations and completions they carried (diagnostics, tests). */
    Coalescer.Stats batchStats() {
        return usage.stats();
    }

    /** Reservations and completions queued behind a batch in flight (tests). */
    int waitingCalls() {
        return usage.waiting();
    }

    /** Stops the channel: calls in flight get a moment to finish, new ones fail. Idempotent. */
    @Override
    public void close() {
        Coalescer.Stats stats = usage.stats();
        if (stats.batches() > 0) {
            log.info("metering client: {} reservations and completions in {} batches (largest {})", stats.items(),
                    stats.batches(), stats.largestBatch());
        }
        channel.shutdown();
        try {
            if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
        loop.ifPresent(SharedEventLoop::release);
    }

    private void completeUsage(String reservationId, CompleteUsageRequest.Outcome outcome) {
        Objects.requireNonNull(reservationId, "reservationId");
        CompleteUsageRequest wire = CompleteUsageRequest.newBuilder()
                .setReservationId(reservationId)
                .setOutcome(outcome)
                .build();
        CompleteUsageResponse response = call("CompleteUsage", retry -> completeUsage(wire, retry));
        completed(reservationId, outcome, response);
    }

    private static void completed(String reservationId, CompleteUsageRequest.Outcome outcome, CompleteUsageResponse response) {
        switch (response.getResult()) {
            case RESULT_COMPLETED, RESULT_ALREADY_COMPLETED -> {
            }
            // like the local quota: nothing to do; but the volume is not counted there, so say so
            case RESULT_UNKNOWN_RESERVATION -> log.warn("metering does not know reservation {} ({}); ignored",
                    reservationId, outcome);
            default -> throw new IllegalStateException("metering answered CompleteUsage with " + response.getResult());
        }
    }

    /** One attempt of a call; {@code retry} = not the first attempt (wait for the connection). */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(boolean retry);
    }

    private TrackUsageResponse trackUsage(TrackUsageRequest wire, boolean retry) {
        return batched(UsageBatchItem.newBuilder().setTrackUsage(wire).build(), retry,
                UsageBatchResult.OutcomeCase.TRACK_USAGE, UsageBatchResult::getTrackUsage, "a reservation")
                .orElseGet(() -> stub(retry).trackUsage(wire));
    }

    private CompleteUsageResponse completeUsage(CompleteUsageRequest wire, boolean retry) {
        return batched(UsageBatchItem.newBuilder().setCompleteUsage(wire).build(), retry,
                UsageBatchResult.OutcomeCase.COMPLETE_USAGE, UsageBatchResult::getCompleteUsage, "a completion")
                .orElseGet(() -> stub(retry).completeUsage(wire));
    }

    /**
     * The item's answer through a {@code UsageBatch}; empty when batching is off or the server turned
     * out not to know the batch rpc (the caller then makes the single rpc). An item error or an answer
     * of the wrong kind is thrown as the single rpc would fail.
     */
    private <T> Optional<T> batched(UsageBatchItem item, boolean retry, UsageBatchResult.OutcomeCase expected,
                                    Function<UsageBatchResult, T> answer, String what) {
        if (!batching) {
            return Optional.empty();
        }
        return answerOf(usage.submit(item, System.nanoTime() + deadlineNanos, retry), expected, answer, what);
    }

    /** Waits for an item sent in a {@code UsageBatch}; empty when the server turned out not to know the batch rpc. */
    private <T> Optional<T> answerOf(CompletableFuture<UsageBatchResult> sent, UsageBatchResult.OutcomeCase expected,
                                     Function<UsageBatchResult, T> answer, String what) {
        try {
            UsageBatchResult result = BatchRpc.await(sent, deadlineNanos);
            if (result.hasError()) {
                throw itemFailure(result.getError());
            }
            if (result.getOutcomeCase() != expected) {
                throw Status.INTERNAL.withDescription("UsageBatch answered " + what + " with " + result.getOutcomeCase())
                        .asRuntimeException();
            }
            return Optional.of(answer.apply(result));
        } catch (BatchUnsupported e) {
            noBatching();
            return Optional.empty();
        }
    }

    private MeteringServiceBlockingStub stub(boolean retry) {
        MeteringServiceBlockingStub s = stub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
        return retry ? s.withWaitForReady() : s;
    }

    private MeteringServiceStub batchStub(long deadlineNanoTime, boolean waitForReady) {
        MeteringServiceStub s = asyncStub.withDeadlineAfter(deadlineNanoTime - System.nanoTime(), TimeUnit.NANOSECONDS);
        return waitForReady ? s.withWaitForReady() : s;
    }

    private void noBatching() {
        if (batching) {
            batching = false;
            log.warn("metering server {} has no UsageBatch rpc (UNIMPLEMENTED); calling TrackUsage / CompleteUsage one by one",
                    config.target());
        }
    }

    private static StatusRuntimeException itemFailure(BatchItemError error) {
        return Status.fromCodeValue(error.getCode()).withDescription(error.getMessage()).asRuntimeException();
    }

    private <T> T call(String rpc, Attempt<T> invocation) {
        if (channel.isShutdown()) {
            throw new IllegalStateException("the metering client is closed");
        }
        StatusRuntimeException first = null;
        StatusRuntimeException last = null;
        int attempts = config.maxAttempts();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(backoff(attempt - 1), rpc, last);
            }
            try {
                T result = invocation.run(attempt > 1);
                lastCallReachedServer = true;
                return result;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (CALLER_BUGS.contains(code)) {
                    lastCallReachedServer = true;
                    throw new IllegalStateException("metering refused " + rpc + ": " + describe(e.getStatus()), e);
                }
                if (!RETRYABLE.contains(code)) {
                    lastCallReachedServer = false;
                    throw unavailable(rpc + " failed: " + describe(e.getStatus()), e);
                }
                first = first == null ? e : first;
                last = e;
                nudgeReconnect();
                log.debug("metering {} attempt {}/{} failed: {}", rpc, attempt, attempts, describe(e.getStatus()));
            }
        }
        lastCallReachedServer = false;
        // the first failure usually says most ("Connection refused"); later ones may only be timeouts
        String firstToo = first == last ? "" : "; first: " + describe(first.getStatus());
        if (first != last) {
            last.addSuppressed(first);
        }
        throw unavailable(rpc + " failed after " + attempts + " attempt(s): " + describe(last.getStatus()) + firstToo, last);
    }

    /**
     * Exponential with "equal jitter": the n-th retry waits between half and all of
     * {@code min(MAX_BACKOFF, INITIAL_BACKOFF × 2^(n-1))} — spread out, never zero.
     */
    static Duration backoff(int retry) {
        long cap = Math.min(MAX_BACKOFF.toNanos(), INITIAL_BACKOFF.toNanos() << Math.min(retry - 1, 20));
        long half = cap / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void pause(Duration backoff, String rpc, StatusRuntimeException last) {
        try {
            TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(rpc + " interrupted while waiting to retry", last);
        }
    }

    /** Lets a channel in TRANSIENT_FAILURE try to connect now instead of after its backoff. */
    private void nudgeReconnect() {
        long now = System.nanoTime();
        long previous = lastNudgeNanos.get();
        if (now - previous >= TimeUnit.MILLISECONDS.toNanos(RECONNECT_NUDGE_MILLIS)
                && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE
                && lastNudgeNanos.compareAndSet(previous, now)) {
            channel.resetConnectBackoff();
        }
    }

    private MeteringUnavailableException unavailable(String message, Throwable cause) {
        MeteringUnavailableException e = new MeteringUnavailableException("metering " + message + " (" + config.target() + ")",
                RETRY_AFTER, cause);
        log.warn(e.getMessage());
        return e;
    }

    private static QuotaCheck checkOf(boolean present, Supplier<QuotaCheck> mapping) {
        if (!present) {
            throw new IllegalStateException("metering answered without a quota status");
        }
        try {
            return mapping.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("metering answered a malformed quota status: " + e.getMessage(), e);
        }
    }

    private static org.tradingdemo.proto.metering.v1.QuotaLimits limits(QuotaLimits limits) {
        return org.tradingdemo.proto.metering.v1.QuotaLimits.newBuilder()
                .setDaily(ProtoMapping.money(limits.daily()))
                .setMonthly(ProtoMapping.money(limits.monthly()))
                .build();
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString()
                : status.getCode() + " " + status.getDescription();
    }

    private static ManagedChannel channel(MeteringClientConfig config, Optional<SharedEventLoop> loop) {
        ManagedChannelBuilder<?> builder;
        if (config.inProcess()) {
            builder = InProcessChannelBuilder.forName(config.target().substring(MeteringClientConfig.IN_PROCESS_PREFIX.length()));
        } else {
            NettyChannelBuilder netty = NettyChannelBuilder.forTarget(config.target(), credentials(config));
            builder = loop.map(l -> l.configure(netty)).orElse(netty);
        }
        builder.userAgent("trading-demo-metering-client");
        // answers only complete futures (and may start the next batch, asynchronously): handle them on
        // the transport thread, no hop to a pool thread per answer; blocking stubs run on their caller anyway
        builder.directExecutor();
        config.apiKey().ifPresent(key -> {
            Metadata headers = new Metadata();
            headers.put(ApiKeyServerInterceptor.API_KEY, key);
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        });
        return builder.build();
    }

    private static ChannelCredentials credentials(MeteringClientConfig config) {
        if (config.plaintext()) {
            return InsecureChannelCredentials.create();
        }
        if (config.trustCa().isEmpty()) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(config.trustCa().get().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metering CA certificate " + config.trustCa().get() + ": "
                    + e.getMessage(), e);
        }
    }
}
