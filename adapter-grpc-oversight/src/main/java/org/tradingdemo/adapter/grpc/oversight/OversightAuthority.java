package org.tradingdemo.adapter.grpc.oversight;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.DecisionEvent;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.ListRequestsRequest;
import org.tradingdemo.proto.oversight.v1.ListRequestsResponse;
import org.tradingdemo.proto.oversight.v1.RequestStatus;
import org.tradingdemo.proto.oversight.v1.SubmitRequestRequest;
import org.tradingdemo.proto.oversight.v1.SubmitRequestResponse;

/**
 * The state and rules of the reference oversight service, without any transport: approval requests kept
 * in memory, the first closing wins, expiry at {@code expires_at}, and the ordered log of closings that
 * {@code WatchDecisions} streams. {@link OversightGrpcServer} serves it over gRPC; a test or a dashboard can
 * call it directly (the "admin API") and gets the same behaviour, because it is the same code.
 *
 * <p>Errors are gRPC statuses ({@link StatusRuntimeException}) with the contract's codes: NOT_FOUND,
 * FAILED_PRECONDITION (closed already: the description names the current status), PERMISSION_DENIED (the
 * agent's owner deciding), INVALID_ARGUMENT. A server restarted with the same authority keeps every
 * request and continues the event sequence, so watchers resume where they stopped.
 *
 * <p>Thread-safe: one lock orders every change, which is what makes "first decision wins" and the event
 * order trivially true. Time comes only from the injected {@link Clock}. Requests are kept for the life of
 * the object (it is a reference server); the event log keeps the last {@code retainedEvents} closings.
 */
public final class OversightAuthority {

    public static final int DEFAULT_RETAINED_EVENTS = 100_000;
    public static final int MAX_COMMENT_LENGTH = 1000;
    static final int MAX_REASON_LENGTH = 4000;
    static final int MAX_ID_LENGTH = 128;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    /** Trailer of an OUT_OF_RANGE WatchDecisions answer: the oldest sequence still kept. */
    public static final Metadata.Key<String> OLDEST_SEQUENCE =
            Metadata.Key.of("x-oldest-sequence", Metadata.ASCII_STRING_MARSHALLER);

    private static final Logger log = LoggerFactory.getLogger(OversightAuthority.class);
    private static final String PAGE_TOKEN_PREFIX = "after:";

    private final Clock clock;
    private final RiskRules rules;
    private final Object lock = new Object();
    private final List<Runnable> decisionListeners = new CopyOnWriteArrayList<>();

    // guarded by lock
    private final Map<String, Stored> requests = new HashMap<>();
    private final TreeMap<Long, String> byArrival = new TreeMap<>();
    private final TreeSet<Deadline> deadlines = new TreeSet<>();
    private final DecisionEvent[] events;
    private long arrivals;
    /** Written under the lock; volatile so listeners and watchers may read it without. */
    private volatile long lastSequence;

    private record Stored(long arrival, ApprovalRequest request) {
    }

    private record Deadline(Instant expiresAt, String requestId) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline o) {
            int c = expiresAt.compareTo(o.expiresAt);
            return c != 0 ? c : requestId.compareTo(o.requestId);
        }
    }

    /** The domain's default rules, the last {@value #DEFAULT_RETAINED_EVENTS} closings kept. */
    public OversightAuthority(Clock clock) {
        this(clock, RiskRules.defaults(), DEFAULT_RETAINED_EVENTS);
    }

    public OversightAuthority(Clock clock, RiskRules rules, int retainedEvents) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = Objects.requireNonNull(rules, "rules");
        if (retainedEvents < 1) {
            throw new IllegalArgumentException("retainedEvents must be at least 1");
        }
        this.events = new DecisionEvent[retainedEvents];
    }

    // ---------------------------------------------------------------- risk

    public EvaluateRiskResponse evaluateRisk(EvaluateRiskRequest request) {
        try {
            return rules.evaluate(request);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    // ---------------------------------------------------------------- requests

    /** Opens a request; the same request id again returns the stored request with {@code duplicate = true}. */
    public SubmitRequestResponse submit(SubmitRequestRequest in) {
        String id = requireId(in.getRequestId(), "request_id");
        if (!in.hasTrade() || in.getTrade().getTradeId().isBlank() || in.getTrade().getAgentId().isBlank()) {
            throw invalid("trade with trade_id and agent_id is required");
        }
        if (!in.hasExpiresAt()) {
            throw invalid("expires_at is required");
        }
        if (in.getReason().length() > MAX_REASON_LENGTH) {
            throw invalid("reason must be at most " + MAX_REASON_LENGTH + " characters");
        }
        return mutate(now -> {
            expireOverdueLocked(now);
            Stored known = requests.get(id);
            if (known != null) {
                return SubmitRequestResponse.newBuilder().setRequest(known.request()).setDuplicate(true).build();
            }
            ApprovalRequest created = ApprovalRequest.newBuilder()
                    .setRequestId(id)
                    .setTrade(in.getTrade())
                    .setReason(in.getReason())
                    .setRiskLevel(in.getRiskLevel())
                    .setStatus(RequestStatus.REQUEST_STATUS_PENDING)
                    .setCreatedAt(ProtoMapping.timestamp(now))
                    .setExpiresAt(in.getExpiresAt())
                    .setOwnerUserId(in.getOwnerUserId().strip())
                    .build();
            long arrival = ++arrivals;
            requests.put(id, new Stored(arrival, created));
            byArrival.put(arrival, id);
            deadlines.add(new Deadline(ProtoMapping.instant(created.getExpiresAt()), id));
            // a deadline already past expires it at once (and logs the closing)
            expireOverdueLocked(now);
            return SubmitRequestResponse.newBuilder().setRequest(requests.get(id).request()).setDuplicate(false).build();
        });
    }

    /** @throws StatusRuntimeException NOT_FOUND */
    public ApprovalRequest get(String requestId) {
        return find(requestId).orElseThrow(() -> notFound(requestId));
    }

    public Optional<ApprovalRequest> find(String requestId) {
        return mutate(now -> {
            expireOverdueLocked(now);
            return Optional.ofNullable(requests.get(requestId)).map(Stored::request);
        });
    }

    /** Approves a pending request (admin API and ApproveRequest). */
    public ApprovalRequest approve(String requestId, String approver, String comment) {
        String by = required(approver, "approver");
        String note = optionalComment(comment, "comment");
        return decide(requestId, by, RequestStatus.REQUEST_STATUS_APPROVED, note);
    }

    /** Rejects a pending request; a rejection needs a reason. */
    public ApprovalRequest reject(String requestId, String approver, String reason) {
        String by = required(approver, "approver");
        String why = required(reason, "reason");
        if (why.length() > MAX_COMMENT_LENGTH) {
            throw invalid("reason must be at most " + MAX_COMMENT_LENGTH + " characters");
        }
        return decide(requestId, by, RequestStatus.REQUEST_STATUS_REJECTED, why);
    }

    /** Withdraws a pending request (its trade was cancelled, its agent terminated, or it expired elsewhere). */
    public ApprovalRequest cancel(String requestId, String reason) {
        return decide(requestId, null, RequestStatus.REQUEST_STATUS_CANCELLED, optionalComment(reason, "reason"));
    }

    private ApprovalRequest decide(String requestId, String approver, RequestStatus next, String comment) {
        String id = requireId(requestId, "request_id");
        return mutate(now -> {
            expireOverdueLocked(now);
            Stored stored = requests.get(id);
            if (stored == null) {
                throw notFound(id);
            }
            ApprovalRequest current = stored.request();
            if (approver != null && !current.getOwnerUserId().isEmpty() && current.getOwnerUserId().equals(approver)) {
                throw Status.PERMISSION_DENIED
                        .withDescription(approver + " owns the agent of request " + id + " and may not decide on it")
                        .asRuntimeException();
            }
            if (current.getStatus() != RequestStatus.REQUEST_STATUS_PENDING) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("request " + id + " is already " + ProtoMapping.label(current.getStatus())
                                + (current.getDecidedBy().isEmpty() ? "" : " by " + current.getDecidedBy())
                                + " (status " + current.getStatus().name() + ")")
                        .asRuntimeException();
            }
            return closeLocked(stored, next, now, approver == null ? "" : approver, comment);
        });
    }

    /**
     * Expires every pending request whose deadline has passed; the periodic sweep and every read call it.
     *
     * @return how many requests expired
     */
    public int expireOverdue() {
        return mutate(this::expireOverdueLocked);
    }

    public ListRequestsResponse list(ListRequestsRequest in) {
        int size = in.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : in.getPageSize();
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw invalid("page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        long after = in.getPageToken().isEmpty() ? 0 : parsePageToken(in.getPageToken());
        RequestStatus wanted = in.getStatus();
        if (wanted == RequestStatus.UNRECOGNIZED) {
            throw invalid("status is not a known request status");
        }
        return mutate(now -> {
            expireOverdueLocked(now);
            ListRequestsResponse.Builder page = ListRequestsResponse.newBuilder();
            long last = 0;
            for (Map.Entry<Long, String> e : byArrival.tailMap(after, false).entrySet()) {
                ApprovalRequest r = requests.get(e.getValue()).request();
                if (wanted != RequestStatus.REQUEST_STATUS_UNSPECIFIED && r.getStatus() != wanted) {
                    continue;
                }
                if (page.getRequestsCount() == size) {
                    // one more match exists: the page is full and there is a next one
                    page.setNextPageToken(pageToken(last));
                    break;
                }
                page.addRequests(r);
                last = e.getKey();
            }
            return page.build();
        });
    }

    // ---------------------------------------------------------------- decision log

    /** The sequence of the newest closing, 0 before the first. */
    public long lastSequence() {
        return lastSequence;
    }

    /** The oldest sequence still kept (replayable), or {@code lastSequence() + 1} when none is kept yet. */
    public long oldestKeptSequence() {
        long last = lastSequence;
        return last == 0 ? 1 : Math.max(1, last - events.length + 1);
    }

    /**
     * Up to {@code max} closings after {@code afterSequence}, oldest first; empty when the caller is up to date.
     *
     * @throws StatusRuntimeException OUT_OF_RANGE (trailer {@link #OLDEST_SEQUENCE}) when the cursor is older
     *                                than the kept events or newer than the log (a cursor from another log)
     */
    public List<DecisionEvent> eventsAfter(long afterSequence, int max) {
        if (afterSequence < 0) {
            throw invalid("after_sequence must not be negative");
        }
        synchronized (lock) {
            long last = lastSequence;
            long oldest = oldestKeptSequence();
            if (afterSequence > last || afterSequence < oldest - 1) {
                Metadata trailers = new Metadata();
                trailers.put(OLDEST_SEQUENCE, Long.toString(oldest));
                throw Status.OUT_OF_RANGE.withDescription("cursor " + afterSequence + " is outside the kept decisions "
                        + oldest + ".." + last).asRuntimeException(trailers);
            }
            int n = (int) Math.min(max, last - afterSequence);
            List<DecisionEvent> out = new ArrayList<>(n);
            for (long seq = afterSequence + 1; seq <= afterSequence + n; seq++) {
                out.add(events[slot(seq)]);
            }
            return out;
        }
    }

    /**
     * Calls {@code listener} after every change that logged a closing (outside the lock, on the changing
     * thread: keep it short and non-blocking).
     *
     * @return closing it stops the calls
     */
    public AutoCloseable onDecision(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        decisionListeners.add(listener);
        return () -> decisionListeners.remove(listener);
    }

    // ---------------------------------------------------------------- internals

    /** Runs a change under the lock with the current time; tells listeners if it logged closings, even when it failed. */
    private <T> T mutate(Function<Instant, T> change) {
        long before = lastSequence;
        try {
            synchronized (lock) {
                return change.apply(clock.instant());
            }
        } finally {
            if (lastSequence != before) {
                notifyListeners();
            }
        }
    }

    private int expireOverdueLocked(Instant now) {
        int expired = 0;
        while (!deadlines.isEmpty() && !now.isBefore(deadlines.first().expiresAt())) {
            Deadline due = deadlines.pollFirst();
            Stored stored = requests.get(due.requestId());
            if (stored != null && stored.request().getStatus() == RequestStatus.REQUEST_STATUS_PENDING) {
                // closed at its deadline, not when the sweep noticed: the same instant whoever looks
                closeLocked(stored, RequestStatus.REQUEST_STATUS_EXPIRED, due.expiresAt(), "", "");
                expired++;
            }
        }
        return expired;
    }

    private ApprovalRequest closeLocked(Stored stored, RequestStatus next, Instant at, String by, String comment) {
        ApprovalRequest current = stored.request();
        ApprovalRequest closed = current.toBuilder()
                .setStatus(next)
                .setDecidedAt(ProtoMapping.timestamp(at))
                .setDecidedBy(by)
                .setComment(comment)
                .build();
        requests.put(current.getRequestId(), new Stored(stored.arrival(), closed));
        deadlines.remove(new Deadline(ProtoMapping.instant(current.getExpiresAt()), current.getRequestId()));
        long seq = lastSequence + 1;
        events[slot(seq)] = DecisionEvent.newBuilder().setSequence(seq).setRequest(closed).build();
        lastSequence = seq;
        return closed;
    }

    private int slot(long sequence) {
        return (int) ((sequence - 1) % events.length);
    }

    private void notifyListeners() {
        for (Runnable l : decisionListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("decision listener failed: {}", e.toString());
            }
        }
    }

    private static String pageToken(long arrival) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PAGE_TOKEN_PREFIX + arrival).getBytes(StandardCharsets.US_ASCII));
    }

    private static long parsePageToken(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            if (raw.startsWith(PAGE_TOKEN_PREFIX)) {
                long arrival = Long.parseLong(raw.substring(PAGE_TOKEN_PREFIX.length()));
                if (arrival >= 0) {
                    return arrival;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as any other malformed token
        }
        throw invalid("page_token is not a token this server issued");
    }

    private static String requireId(String value, String field) {
        String v = required(value, field);
        if (v.length() > MAX_ID_LENGTH) {
            throw invalid(field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        return v;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
        return value.strip();
    }

    private static String optionalComment(String value, String field) {
        String v = value == null ? "" : value.strip();
        if (v.length() > MAX_COMMENT_LENGTH) {
            throw invalid(field + " must be at most " + MAX_COMMENT_LENGTH + " characters");
        }
        return v;
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    private static StatusRuntimeException notFound(String requestId) {
        return Status.NOT_FOUND.withDescription("no approval request " + requestId).asRuntimeException();
    }
}
