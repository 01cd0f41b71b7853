package org.tradingdemo.adapter.grpc.oversight;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.ApprovalRefusedException;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.Pending;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.ApproveRequestRequest;
import org.tradingdemo.proto.batching.BatchRpc;
import org.tradingdemo.proto.batching.BatchRpc.BatchUnsupported;
import org.tradingdemo.proto.batching.Coalescer;
import org.tradingdemo.proto.transport.SharedEventLoop;
import org.tradingdemo.proto.oversight.v1.CancelRequestRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchResponse;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResult;
import org.tradingdemo.proto.oversight.v1.GetRequestStatusRequest;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;
import org.tradingdemo.proto.oversight.v1.RejectRequestRequest;
import org.tradingdemo.proto.oversight.v1.RequestStatus;
import org.tradingdemo.proto.oversight.v1.SubmitRequestRequest;

/**
 * {@link ApprovalPort} over {@code creto.oversight.v1}: the risk verdict, the requests and their closings
 * live at the oversight service.
 *
 * <p>Every call has a deadline per attempt ({@link OversightClientConfig#deadline()}). Every call this
 * client makes is idempotent (risk is a pure function, submit is keyed by request id, and a decision
 * repeated after a lost answer is recognised as our own), so UNAVAILABLE and DEADLINE_EXCEEDED are retried
 * with jittered exponential backoff up to {@link OversightClientConfig#maxAttempts()}; then, and on any
 * other failure to get an answer, {@link OversightUnavailableException} (fail closed).
 *
 * <p>{@link #settle} records a closing at the authority first and returns what the authority holds: our
 * closing when it was first, else the authority's earlier decision. When the authority refuses the
 * decision itself (PERMISSION_DENIED: the decider owns the agent) it throws {@link ApprovalRefusedException}:
 * the use case applies nothing and answers "self decision forbidden".
 *
 * <p>The contract wants the agent's owner on every request (the authority refuses their decisions); the
 * port's {@code submit(request, trade)} does not carry it, so the owner comes from the {@code owners} lookup
 * given at construction (the launcher passes the agent repository), else from the agents seen by
 * {@link #evaluate}.
 *
 * <p><b>Coalescing.</b> Risk evaluations made concurrently by many threads travel together: while one
 * {@code EvaluateRiskBatch} is in flight, the evaluations that arrive meanwhile gather and go out as the next
 * batch when it returns (group commit, see {@link Coalescer}); an idle client sends a batch of one at once. Each
 * attempt keeps its own deadline (a batch carries the earliest of its items'), retries are per call as above, a
 * failed batch fails each of its callers (closed). A server without the batch rpc ({@code UNIMPLEMENTED}) is then
 * called with {@code EvaluateRisk}.
 */
public final class GrpcApprovalClient implements ApprovalPort, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GrpcApprovalClient.class);
    private static final int OWNER_CACHE_SIZE = 10_000;
    /** Rounds of (decide → unknown → submit → decide again) or (decide → closed → read → still open) before giving up. */
    private static final int SETTLE_ROUNDS = 3;
    static final String EXPIRED_REASON_PREFIX = "expired at ";
    /** The most evaluations one batch carries (the server takes up to 500). */
    static final int MAX_BATCH = 128;
    /** How long past its deadline a caller waits for its batch's answer before calling it a timeout. */

    private final OversightClientConfig config;
    private final ManagedChannel channel;
    private final Optional<SharedEventLoop> loop;
    private final OversightServiceGrpc.OversightServiceBlockingStub stub;
    private final OversightServiceGrpc.OversightServiceStub asyncStub;
    private final Coalescer<EvaluateRiskRequest, EvaluateRiskResult> evaluations;
    /** False once the server answered the batch rpc UNIMPLEMENTED (or coalescing was switched off). */
    private volatile boolean batching;
    private final Function<AgentId, Optional<UserId>> owners;
    private final Map<AgentId, UserId> ownersSeen = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AgentId, UserId> eldest) {
            return size() > OWNER_CACHE_SIZE;
        }
    });
    /** Half the first backoff: every retry may reconnect, a storm of failing calls does not multiply connects. */
    private final long reconnectIntervalNanos;
    private final AtomicLong lastReconnect = new AtomicLong();
    /** Whether the last call got an answer from the service; feeds {@link #isReady()} while the channel is idle. */
    private volatile boolean lastCallAnswered;

    /**
     * @param owners the owner of an agent, for the authority's no-self-decision rule (e.g.
     *               {@code id -> agents.findById(id).map(Agent::userId)})
     */
    public GrpcApprovalClient(OversightClientConfig config, Function<AgentId, Optional<UserId>> owners) {
        this(config, owners, true);
    }

    /** @param coalesce whether concurrent risk evaluations travel as batches */
    public GrpcApprovalClient(OversightClientConfig config, Function<AgentId, Optional<UserId>> owners, boolean coalesce) {
        this.config = Objects.requireNonNull(config, "config");
        this.owners = Objects.requireNonNull(owners, "owners");
        // the answers of this client's async calls only complete futures: no pool-thread hop for them
        // a network channel runs on the process's one shared event loop (with the embedded servers)
        this.loop = config.inProcess() ? Optional.empty() : Optional.of(SharedEventLoop.acquire());
        try {
            this.channel = OversightChannels.open(config, true, loop);
        } catch (RuntimeException e) {
            loop.ifPresent(SharedEventLoop::release);
            throw e;
        }
        this.stub = OversightServiceGrpc.newBlockingStub(channel);
        this.asyncStub = OversightServiceGrpc.newStub(channel);
        this.batching = coalesce;
        this.evaluations = new Coalescer<>((items, deadline, waitForReady) -> {
            CompletableFuture<EvaluateRiskBatchResponse> answer = new CompletableFuture<>();
            asyncStub.withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                    .evaluateRiskBatch(EvaluateRiskBatchRequest.newBuilder().addAllRequests(items).build(), BatchRpc.observer(answer));
            return answer.thenApply(EvaluateRiskBatchResponse::getResultsList);
        }, MAX_BATCH, 1);
        this.reconnectIntervalNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), config.initialBackoff().toNanos() / 2);
        this.lastReconnect.set(System.nanoTime() - reconnectIntervalNanos);
        // connect now, not on the first trade: /ready then reports the real state from the start
        channel.getState(true);
    }

    /** Owners known only from the agents {@link #evaluate} has seen in this process. */
    public GrpcApprovalClient(OversightClientConfig config) {
        this(config, id -> Optional.empty());
    }

    @Override
    public RiskAssessment evaluate(Agent agent, Trade trade, Portfolio portfolio) {
        ownersSeen.put(agent.id(), agent.userId());
        EvaluateRiskRequest wire = ProtoMapping.evaluateRequest(agent, trade, portfolio);
        try {
            return ProtoMapping.assessment(attempts("EvaluateRisk", () -> evaluateOnce(wire)));
        } catch (StatusRuntimeException e) {
            throw unavailable(e, "EvaluateRisk");
        }
    }

    /** Whether evaluations currently travel in batches (false after the server turned out not to have the batch rpc). */
    public boolean coalescing() {
        return batching;
    }

    /** Batches sent and evaluations they carried (diagnostics, tests). */
    Coalescer.Stats batchStats() {
        return evaluations.stats();
    }

    /** Evaluations queued behind a batch in flight (tests). */
    int waitingEvaluations() {
        return evaluations.waiting();
    }

    /**
     * Sends the first attempt of the evaluation now (in the next {@code EvaluateRiskBatch}) and returns; the
     * caller collects the verdict with {@link Pending#await}, where any retries run exactly as in
     * {@link #evaluate}. Without batching the evaluation is made when awaited.
     */
    @Override
    public Pending<RiskAssessment> startEvaluate(Agent agent, Trade trade, Portfolio portfolio) {
        if (!batching || channel.isShutdown()) {
            return () -> evaluate(agent, trade, portfolio);
        }
        ownersSeen.put(agent.id(), agent.userId());
        EvaluateRiskRequest wire = ProtoMapping.evaluateRequest(agent, trade, portfolio);
        long deadlineNanos = config.deadline().toNanos();
        CompletableFuture<EvaluateRiskResult> first = evaluations.submit(wire, System.nanoTime() + deadlineNanos, false);
        return () -> {
            boolean[] firstAwaited = {false};
            try {
                return ProtoMapping.assessment(attempts("EvaluateRisk", () -> {
                    if (firstAwaited[0]) {
                        return evaluateOnce(wire);
                    }
                    firstAwaited[0] = true;
                    return answerOf(first, wire);
                }));
            } catch (StatusRuntimeException e) {
                throw unavailable(e, "EvaluateRisk");
            }
        };
    }

    private EvaluateRiskResponse evaluateOnce(EvaluateRiskRequest wire) {
        if (batching) {
            return answerOf(evaluations.submit(wire, System.nanoTime() + config.deadline().toNanos(), false), wire);
        }
        return single(wire);
    }

    /** The answer of an evaluation sent in a batch; a server without the batch rpc is asked with the single rpc. */
    private EvaluateRiskResponse answerOf(CompletableFuture<EvaluateRiskResult> sent, EvaluateRiskRequest wire) {
        try {
            EvaluateRiskResult result = BatchRpc.await(sent, config.deadline().toNanos());
            if (result.hasError()) {
                throw Status.fromCodeValue(result.getError().getCode()).withDescription(result.getError().getMessage())
                        .asRuntimeException();
            }
            return result.getResponse();
        } catch (BatchUnsupported e) {
            if (batching) {
                batching = false;
                log.warn("oversight server {} has no EvaluateRiskBatch (UNIMPLEMENTED); calling EvaluateRisk one by one",
                        config.target());
            }
            return single(wire);
        }
    }

    private EvaluateRiskResponse single(EvaluateRiskRequest wire) {
        return stub.withDeadlineAfter(config.deadline().toNanos(), TimeUnit.NANOSECONDS).evaluateRisk(wire);
    }

    @Override
    public void submit(OversightRequest request, Trade trade) {
        boolean duplicate = answered("SubmitRequest", s -> s.submitRequest(submitMessage(request, trade))).getDuplicate();
        if (duplicate) {
            log.debug("oversight request {} was already known to the oversight service", request.id());
        }
    }

    /**
     * Tells the authority how a request ended here. Idempotent: the authority already holding the same
     * closing is success. A different closing there (it decided first) cannot be changed by retrying: it is
     * logged, as is a refused decision. An authority that never heard of the request (a restarted
     * reference server) is told about it first from {@code trade}, then asked again.
     */
    @Override
    public void reportDecision(OversightRequest request, Trade trade) {
        requireClosed(request);
        Objects.requireNonNull(trade, "trade");
        try {
            ApprovalRequest theirs = record(request, Optional.of(trade));
            OversightRequest outcome = outcome(request, theirs);
            if (outcome != request) {
                log.warn("oversight request {}: closed here as {}, but the oversight service holds {}{}", request.id(),
                        request.status().wireName(), ProtoMapping.label(theirs.getStatus()),
                        theirs.getDecidedBy().isEmpty() ? "" : " by " + theirs.getDecidedBy());
            }
        } catch (ApprovalRefusedException e) {
            log.warn("oversight request {}: the oversight service refused this service's {}: {}", request.id(),
                    request.status().wireName(), e.getMessage());
        }
    }

    /**
     * Records {@code closing} at the authority and returns the authoritative outcome (see {@link ApprovalPort#settle}).
     * Approved → ApproveRequest, rejected → RejectRequest, cancelled → CancelRequest, expired → read the
     * authority's status (and, if it still holds the request open, cancel it there so nobody can decide it late).
     * An authority that does not know the request is told first (SubmitRequest), then asked again.
     *
     * @throws OversightUnavailableException when the authority cannot be asked (nothing may be applied)
     * @throws ApprovalRefusedException      when the authority refuses the decision (PERMISSION_DENIED: the
     *                                       decider owns the agent) - nothing may be applied
     */
    @Override
    public OversightRequest settle(OversightRequest closing, Trade trade) {
        requireClosed(closing);
        Objects.requireNonNull(trade, "trade");
        return outcome(closing, record(closing, Optional.of(trade)));
    }

    /**
     * Whether the service looks reachable, without blocking and without a call: a READY channel yes, a failing or
     * shut one no; an idle or connecting channel (nothing asked lately) answers with how the last call went.
     * Also asks an idle channel to connect, so the next probe knows.
     */
    public boolean isReady() {
        ConnectivityState state = channel.getState(true);
        return switch (state) {
            case READY -> true;
            case IDLE, CONNECTING -> lastCallAnswered;
            case TRANSIENT_FAILURE, SHUTDOWN -> false;
        };
    }

    public OversightClientConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (evaluations.stats().batches() > 0) {
            log.info("oversight client: {} risk evaluations in {} batches (largest {})", evaluations.stats().items(),
                    evaluations.stats().batches(), evaluations.stats().largestBatch());
        }
        OversightChannels.shutdown(channel);
        loop.ifPresent(SharedEventLoop::release);
    }

    // ---------------------------------------------------------------- closing protocol

    /** The authority's record of the request after trying to record {@code closing} there. */
    private ApprovalRequest record(OversightRequest closing, Optional<Trade> trade) {
        String id = closing.id().value();
        try {
            for (int round = 1; round <= SETTLE_ROUNDS; round++) {
                try {
                    return decide(closing);
                } catch (StatusRuntimeException e) {
                    switch (e.getStatus().getCode()) {
                        case NOT_FOUND -> {
                            if (trade.isEmpty()) {
                                throw new IllegalStateException("oversight request " + id
                                        + " is unknown to the oversight service (not submitted yet)");
                            }
                            call("SubmitRequest", s -> s.submitRequest(submitMessage(closing, trade.get())));
                        }
                        case FAILED_PRECONDITION -> {
                            ApprovalRequest current = status(id);
                            if (current.getStatus() != RequestStatus.REQUEST_STATUS_PENDING) {
                                return current;
                            }
                            // closed a moment ago by a rule that no longer holds? ask again
                        }
                        case PERMISSION_DENIED -> throw new ApprovalRefusedException(
                                "the oversight service refused the decision: " + e.getStatus().getDescription());
                        default -> throw e;
                    }
                }
            }
        } catch (StatusRuntimeException e) {
            throw unavailable(e, "settle " + id);
        }
        throw new OversightUnavailableException("oversight request " + id + " could not be settled in "
                + SETTLE_ROUNDS + " rounds", config.retryAfter(), null);
    }

    /** One attempt to record the closing; NOT_FOUND / FAILED_PRECONDITION / PERMISSION_DENIED come out as statuses. */
    private ApprovalRequest decide(OversightRequest closing) {
        String id = closing.id().value();
        return switch (closing.status()) {
            case APPROVED -> call("ApproveRequest", s -> s.approveRequest(ApproveRequestRequest.newBuilder()
                    .setRequestId(id)
                    .setApprover(decider(closing))
                    .setComment(closing.comment().orElse(""))
                    .build())).getRequest();
            case REJECTED -> call("RejectRequest", s -> s.rejectRequest(RejectRequestRequest.newBuilder()
                    .setRequestId(id)
                    .setApprover(decider(closing))
                    .setReason(closing.comment().orElse("rejected"))
                    .build())).getRequest();
            case CANCELLED -> call("CancelRequest", s -> s.cancelRequest(CancelRequestRequest.newBuilder()
                    .setRequestId(id)
                    .setReason(closing.comment().orElse(""))
                    .build())).getRequest();
            case EXPIRED -> {
                // the contract has no "expire": the authority expires by itself at the same expires_at; if its
                // clock has not got there yet, withdraw the request so nobody decides it after our deadline
                ApprovalRequest current = status(id);
                if (current.getStatus() != RequestStatus.REQUEST_STATUS_PENDING) {
                    yield current;
                }
                yield call("CancelRequest", s -> s.cancelRequest(CancelRequestRequest.newBuilder()
                        .setRequestId(id)
                        .setReason(EXPIRED_REASON_PREFIX + closing.expiresAt())
                        .build())).getRequest();
            }
            case PENDING -> throw new IllegalArgumentException("request " + id + " is not closed");
        };
    }

    /** Ours when the authority holds our closing (first, or a repeat of it); else the authority's, as a domain request. */
    private static OversightRequest outcome(OversightRequest closing, ApprovalRequest theirs) {
        Optional<OversightStatus> status = ProtoMapping.status(theirs.getStatus());
        String ourDecider = closing.processedBy().map(UserId::value).orElse("");
        if (status.isPresent() && status.get() == closing.status() && ourDecider.equals(theirs.getDecidedBy())) {
            return closing;
        }
        if (closing.status() == OversightStatus.EXPIRED && status.orElse(null) == OversightStatus.CANCELLED
                && theirs.getComment().startsWith(EXPIRED_REASON_PREFIX)) {
            return closing; // our own stand-in for an expiry the authority had not noticed yet
        }
        return ProtoMapping.closedAs(closing, theirs);
    }

    private ApprovalRequest status(String id) {
        return call("GetRequestStatus", s -> s.getRequestStatus(GetRequestStatusRequest.newBuilder()
                .setRequestId(id).build())).getRequest();
    }

    private SubmitRequestRequest submitMessage(OversightRequest request, Trade trade) {
        SubmitRequestRequest.Builder b = SubmitRequestRequest.newBuilder()
                .setRequestId(request.id().value())
                .setTrade(ProtoMapping.tradeDetails(trade))
                .setReason(request.reason())
                .setRiskLevel(ProtoMapping.riskLevel(request.riskLevel()))
                .setExpiresAt(ProtoMapping.timestamp(request.expiresAt()));
        owner(request.agentId()).ifPresent(owner -> b.setOwnerUserId(owner.value()));
        return b.build();
    }

    private Optional<UserId> owner(AgentId agent) {
        Optional<UserId> looked = Optional.empty();
        try {
            looked = owners.apply(agent);
        } catch (RuntimeException e) {
            log.debug("owner lookup of agent {} failed: {}", agent, e.toString());
        }
        return looked.isPresent() ? looked : Optional.ofNullable(ownersSeen.get(agent));
    }

    private static String decider(OversightRequest closing) {
        return closing.processedBy().map(UserId::value).orElse(ProtoMapping.DEFAULT_DECIDER);
    }

    private static void requireClosed(OversightRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.status().isFinal()) {
            throw new IllegalArgumentException("request " + request.id() + " is still pending");
        }
    }

    // ---------------------------------------------------------------- calls

    /** A call whose every failure means "no answer": any status becomes {@link OversightUnavailableException}. */
    private <T> T answered(String rpc, Function<OversightServiceGrpc.OversightServiceBlockingStub, T> op) {
        try {
            return call(rpc, op);
        } catch (StatusRuntimeException e) {
            throw unavailable(e, rpc);
        }
    }

    /**
     * One unary call with a deadline per attempt, retried with backoff on UNAVAILABLE / DEADLINE_EXCEEDED.
     * Other statuses come out as they are, for the caller to interpret.
     */
    private <T> T call(String rpc, Function<OversightServiceGrpc.OversightServiceBlockingStub, T> op) {
        long deadlineNanos = config.deadline().toNanos();
        return attempts(rpc, () -> op.apply(stub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)));
    }

    /** The attempts of one call, retried with backoff on UNAVAILABLE / DEADLINE_EXCEEDED; other statuses come out. */
    private <T> T attempts(String rpc, java.util.function.Supplier<T> once) {
        StatusRuntimeException last = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(OversightChannels.backoff(config, attempt - 1), rpc, last);
            }
            try {
                T answer = once.get();
                lastCallAnswered = true;
                return answer;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
                    lastCallAnswered = code != Status.Code.UNAUTHENTICATED;
                    throw e;
                }
                last = e;
                log.debug("{} attempt {}/{} failed: {}", rpc, attempt, config.maxAttempts(), e.getStatus());
                if (code == Status.Code.UNAVAILABLE) {
                    reconnectSoon();
                }
            }
        }
        lastCallAnswered = false;
        throw new OversightUnavailableException("oversight service did not answer " + rpc + " in "
                + config.maxAttempts() + " attempts: " + last.getStatus(), config.retryAfter(), last);
    }

    /**
     * A failing channel waits out gRPC's own reconnect backoff (up to two minutes) and fails every call fast
     * meanwhile; our retries should meet a server that is back. Rate-limited, so an outage under load does not
     * become a connection storm.
     */
    private void reconnectSoon() {
        long now = System.nanoTime();
        long last = lastReconnect.get();
        if (now - last >= reconnectIntervalNanos && lastReconnect.compareAndSet(last, now)) {
            channel.resetConnectBackoff();
        }
    }

    private void pause(Duration pause, String rpc, StatusRuntimeException last) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OversightUnavailableException("interrupted while retrying " + rpc, config.retryAfter(), last);
        }
    }

    private OversightUnavailableException unavailable(StatusRuntimeException e, String what) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
            log.error("oversight service refused {}: {} (check the oversight API key)", what, e.getStatus());
        } else {
            log.warn("oversight service failed {}: {}", what, e.getStatus());
        }
        return new OversightUnavailableException("oversight service failed " + what + ": " + e.getStatus(),
                config.retryAfter(), e);
    }
}
