package org.tradingdemo.adapter.grpc.oversight;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.AlreadyClosed;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Approved;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecisionResult;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.NotFound;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.OversightUnavailable;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Rejected;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.DecisionEvent;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;
import org.tradingdemo.proto.oversight.v1.WatchDecisionsRequest;

/**
 * Applies the decisions taken at creto-oversight (in its UI, by Slack, by another instance) to this service:
 * follows {@code WatchDecisions} from its cursor and, for every approval or rejection, drives
 * {@link DecideOversightRequestUseCase} as the approver the authority names. Expiries and cancellations are
 * ignored: this service expires and cancels on its own schedule (and tells the authority).
 *
 * <p>Exactly once: the cursor (the sequence of the last event handled) advances only after the use case has
 * answered, and a broken stream (server restart, network) is reopened, with jittered backoff, after the
 * cursor. The use case is idempotent anyway (a decision it already holds answers AlreadyClosed), so a
 * replay after a restart of this service - the cursor lives in memory - changes nothing.
 *
 * <p>Results Approved, Rejected and AlreadyClosed count as applied; NotFound (a request this service never
 * had) is logged and skipped. A use case that cannot reach the authority (result OversightUnavailable, or
 * OversightUnavailableException) is retried until it can; any other failure of one event is retried a few times, then logged and skipped, so
 * one poisoned event cannot stop every later decision.
 */
public final class OversightDecisionListener implements AutoCloseable {

    /** Who decided, when the authority names nobody. */
    public static final String DEFAULT_DECIDER = ProtoMapping.DEFAULT_DECIDER;
    static final int MAX_APPLY_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(OversightDecisionListener.class);

    private final OversightClientConfig config;
    private final DecideOversightRequestUseCase decide;
    private final ManagedChannel channel;
    private final OversightServiceGrpc.OversightServiceBlockingStub stub;
    private final Object sleeper = new Object();

    private volatile long cursor;
    private volatile boolean connected;
    private volatile boolean closing;
    private volatile Context.CancellableContext stream;
    private Thread worker;

    /** Follows every decision the authority still keeps (cursor 0). */
    public OversightDecisionListener(OversightClientConfig config, DecideOversightRequestUseCase decide) {
        this(config, decide, 0);
    }

    /** Follows the decisions after {@code afterSequence} (a cursor kept from an earlier run). */
    public OversightDecisionListener(OversightClientConfig config, DecideOversightRequestUseCase decide, long afterSequence) {
        this.config = Objects.requireNonNull(config, "config");
        this.decide = Objects.requireNonNull(decide, "decide");
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative");
        }
        this.cursor = afterSequence;
        this.channel = OversightChannels.open(config);
        this.stub = OversightServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, new HeadersSeen()));
    }

    /** Starts following on a daemon thread; returns at once. */
    public synchronized OversightDecisionListener start() {
        if (worker != null) {
            throw new IllegalStateException("already started");
        }
        if (closing) {
            throw new IllegalStateException("closed");
        }
        worker = new Thread(this::run, "oversight-decision-listener");
        worker.setDaemon(true);
        worker.setUncaughtExceptionHandler((t, e) -> {
            connected = false;
            log.error("oversight decision listener stopped after sequence {}: decisions are no longer applied", cursor, e);
        });
        worker.start();
        return this;
    }

    /** The sequence of the last decision event handled (applied, or deliberately skipped); resume after it. */
    public long lastAppliedSequence() {
        return cursor;
    }

    /**
     * Whether the decision stream is open right now: the server has answered the watch (the reference server
     * does at once; another may only with its first decision).
     */
    public boolean isConnected() {
        return connected;
    }

    /** Stops following: ends the stream, waits for the event in hand to finish, closes the channel. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            t = worker;
        }
        Context.CancellableContext s = stream;
        if (s != null) {
            s.cancel(null);
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connected = false;
        OversightChannels.shutdown(channel);
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        int failures = 0;
        while (!closing) {
            Context.CancellableContext ctx = Context.current().withCancellation();
            stream = ctx;
            boolean wasConnected = false;
            try {
                if (closing) {
                    break;
                }
                ctx.run(this::follow);
                log.info("oversight decision stream ended by the server after sequence {}; reconnecting", cursor);
            } catch (StatusRuntimeException e) {
                if (closing) {
                    break;
                }
                onStreamError(e, failures + 1);
            } catch (Stopped stopped) {
                break;
            } catch (RuntimeException e) {
                log.error("oversight decision listener failed after sequence {}; reconnecting", cursor, e);
            } finally {
                wasConnected = connected;
                connected = false;
                ctx.cancel(null);
            }
            // a stream that was open resets the backoff: this is a new outage, not the same one
            failures = wasConnected ? 1 : failures + 1;
            pause(OversightChannels.backoff(config, failures));
            // our backoff decides when to try again, not gRPC's (which grows to two minutes)
            channel.resetConnectBackoff();
        }
        connected = false;
    }

    private void follow() {
        Iterator<DecisionEvent> events = stub.watchDecisions(
                WatchDecisionsRequest.newBuilder().setAfterSequence(cursor).build());
        while (events.hasNext()) {
            DecisionEvent event = events.next();
            if (event.getSequence() <= cursor) {
                continue; // already handled (cannot happen with a correct server; cheap to guard)
            }
            apply(event);
            cursor = event.getSequence();
        }
    }

    private void onStreamError(StatusRuntimeException e, int failure) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.OUT_OF_RANGE) {
            long resumeAfter = Math.max(0, oldestKept(e.getTrailers()) - 1);
            if (resumeAfter > cursor) {
                log.error("oversight decisions {}..{} are no longer kept by the oversight service and were NOT applied;"
                        + " pending requests they closed will expire here", cursor + 1, resumeAfter);
            } else {
                log.warn("cursor {} is ahead of the oversight service's decisions (its state was reset?); replaying after {}",
                        cursor, resumeAfter);
            }
            cursor = resumeAfter;
            return;
        }
        if (failure == 1 || failure % 10 == 0) {
            log.warn("oversight decision stream broke after sequence {} ({}); reconnecting, attempt {}", cursor,
                    e.getStatus(), failure);
        } else {
            log.debug("oversight decision stream still down ({}), attempt {}", e.getStatus(), failure);
        }
    }

    /** The oldest sequence the server still keeps, from an OUT_OF_RANGE answer; 1 (replay all) if it does not say. */
    private static long oldestKept(Metadata trailers) {
        String oldest = trailers == null ? null : trailers.get(OversightAuthority.OLDEST_SEQUENCE);
        try {
            return oldest == null ? 1 : Long.parseLong(oldest.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Drives the use case for one event; returns when it is applied or deliberately skipped. */
    private void apply(DecisionEvent event) {
        ApprovalRequest request = event.getRequest();
        Decision decision = switch (request.getStatus()) {
            case REQUEST_STATUS_APPROVED -> Decision.APPROVE;
            case REQUEST_STATUS_REJECTED -> Decision.REJECT;
            default -> null; // expired, cancelled: this service closes those on its own schedule
        };
        if (decision == null) {
            return;
        }
        Optional<DecideCommand> command = command(event, decision);
        if (command.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            if (closing) {
                throw new Stopped();
            }
            try {
                DecisionResult result = decide.decide(command.get());
                if (result instanceof OversightUnavailable) {
                    // the use case settles with the authority first; it is down: wait for it, never drop the decision
                    log.warn("decision {} (request {}) waits for the oversight service", event.getSequence(),
                            request.getRequestId());
                    pause(OversightChannels.backoff(config, Math.min(attempt, 10)));
                    continue;
                }
                report(event, result);
                return;
            } catch (OversightUnavailableException e) {
                // the use case settles with the authority first; it is down: wait for it, never drop the decision
                log.warn("decision {} (request {}) waits for the oversight service: {}", event.getSequence(),
                        request.getRequestId(), e.getMessage());
                pause(OversightChannels.backoff(config, Math.min(attempt, 10)));
            } catch (RuntimeException e) {
                if (attempt >= MAX_APPLY_ATTEMPTS) {
                    log.error("decision {} (request {}: {}) could not be applied after {} attempts; skipped",
                            event.getSequence(), request.getRequestId(), ProtoMapping.label(request.getStatus()), attempt, e);
                    return;
                }
                log.warn("decision {} (request {}) failed, attempt {}: {}", event.getSequence(), request.getRequestId(),
                        attempt, e.toString());
                pause(OversightChannels.backoff(config, attempt));
            }
        }
    }

    private static Optional<DecideCommand> command(DecisionEvent event, Decision decision) {
        ApprovalRequest request = event.getRequest();
        OversightRequestId id;
        try {
            id = OversightRequestId.of(request.getRequestId());
        } catch (IllegalArgumentException e) {
            log.info("decision {} names request '{}', which cannot be one of ours; skipped", event.getSequence(),
                    request.getRequestId());
            return Optional.empty();
        }
        String comment = request.getComment().strip();
        if (comment.length() > OversightRequest.MAX_COMMENT_LENGTH) {
            comment = comment.substring(0, OversightRequest.MAX_COMMENT_LENGTH);
        }
        if (comment.isEmpty() && decision == Decision.REJECT) {
            comment = "rejected at the oversight service";
        }
        Actor actor = new Actor(ProtoMapping.userId(request.getDecidedBy()), true);
        return Optional.of(new DecideCommand(actor, id, decision, comment.isEmpty() ? Optional.empty() : Optional.of(comment)));
    }

    private static void report(DecisionEvent event, DecisionResult result) {
        String id = event.getRequest().getRequestId();
        if (result instanceof Approved || result instanceof Rejected) {
            log.info("applied oversight decision {}: request {} {} by {}", event.getSequence(), id,
                    ProtoMapping.label(event.getRequest().getStatus()), event.getRequest().getDecidedBy());
        } else if (result instanceof AlreadyClosed closed) {
            log.debug("oversight decision {}: request {} already {} here", event.getSequence(), id,
                    closed.request().status().wireName());
        } else if (result instanceof NotFound) {
            log.info("oversight decision {}: request {} is not one of this service's; skipped", event.getSequence(), id);
        } else {
            log.warn("oversight decision {}: request {} not applied: {} (the approver owns the agent)", event.getSequence(),
                    id, result);
        }
    }

    private void pause(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (sleeper) {
            long left;
            while (!closing && (left = until - System.nanoTime()) > 0) {
                try {
                    sleeper.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closing = true;
                }
            }
        }
    }

    /** The listener is closing while an event waits: leave without moving the cursor. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    /** Marks the stream connected when the server's headers arrive (it sends them as soon as the watch opens). */
    private final class HeadersSeen implements ClientInterceptor {
        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                                                                   CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<RespT> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata responseHeaders) {
                            connected = true;
                            super.onHeaders(responseHeaders);
                        }

                        @Override
                        public void onMessage(RespT message) {
                            connected = true; // a server that sends headers only with its first event
                            super.onMessage(message);
                        }
                    }, headers);
                }
            };
        }
    }
}
