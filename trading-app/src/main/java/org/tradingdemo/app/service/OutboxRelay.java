package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.Transactions;

/**
 * Delivers the transactional outbox: every effect that leaves the process (quota completion and
 * release, reports to the oversight service, messages to humans) is written as an
 * {@link OutboxMessage} in the transaction that causes it, then delivered here.
 *
 * <ul>
 *   <li><b>Right after commit</b> the use case hands its messages to {@link #deliverNow}, on its own
 *       thread: the normal path adds no latency and no background hop. A quota completion is only
 *       <em>sent</em> there ({@link QuotaPort#completeAsync}): the caller does not wait for a remote
 *       metering service to answer it. Its outcome (delivered, or failed with the next retry time) is
 *       written when the answer comes, with the acknowledgements below, so a completion is marked
 *       delivered only once metering has it: a crash before that means a redelivery, never a loss.
 *       At most {@value #MAX_UNANSWERED} completions wait for their answer; one more is left in the
 *       store for the background pass (never blocked on, never dropped).</li>
 *   <li><b>Later</b> {@link #runOnce} (called by a scheduler) retries whatever failed, with
 *       exponential backoff (1 s, 2 s, 4 s … capped at 5 min), and delivers what a crash left behind:
 *       a message is created due {@link #IMMEDIATE_GRACE} after its commit, so the background never
 *       races the immediate attempt.</li>
 *   <li><b>Acknowledgements</b> ("delivered") are written in batches, in one transaction per batch,
 *       so the trade path pays no extra write. A crash before an acknowledgement is written means a
 *       redelivery; every port call is idempotent by the message's key (reservation id, request id,
 *       notification key), so it counts once.</li>
 * </ul>
 */
public final class OutboxRelay {

    public static final String QUOTA_COMPLETE = "quota.complete";
    public static final String QUOTA_RELEASE = "quota.release";
    public static final String APPROVAL_SUBMIT = "approval.submit";
    public static final String APPROVAL_REPORT = "approval.report";
    public static final String NOTIFY_APPROVAL_NEEDED = "notify.approval_needed";
    public static final String NOTIFY_DECISION = "notify.decision";
    public static final String NOTIFY_ALERT = "notify.alert";

    /** How long the immediate attempt owns a new message before the background may retry it. */
    public static final Duration IMMEDIATE_GRACE = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final int ACK_BATCH = 256;
    /** Acknowledgements waiting to be written; a caller that finds the queue full writes them itself. */
    static final int ACK_QUEUE_CAPACITY = 4 * ACK_BATCH;
    /** Quota completions sent without waiting whose answer has not come yet; more are left to the background. */
    static final int MAX_UNANSWERED = 1024;
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final Transactions tx;
    private final QuotaPort quota;
    private final ApprovalPort approval;
    private final NotificationPort notifier;
    private final TradeRepository trades;
    private final OversightRequestRepository requests;
    private final AgentRepository agents;
    private final AlertRepository alerts;
    private final IdGenerator ids;
    private final Clock clock;
    /**
     * Delivered, not yet acknowledged in the store (and failures of completions answered late, with
     * their next retry time). Bounded: a full queue is flushed by the caller.
     */
    private final BlockingQueue<OutboxMessage> acknowledgements = new ArrayBlockingQueue<>(ACK_QUEUE_CAPACITY);
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Quota completions sent by {@link #deliverNow} and not answered yet. */
    private final AtomicInteger unanswered = new AtomicInteger();

    public OutboxRelay(Outbox outbox, Transactions tx, QuotaPort quota, ApprovalPort approval,
                       NotificationPort notifier, TradeRepository trades, OversightRequestRepository requests,
                       AgentRepository agents, AlertRepository alerts, IdGenerator ids, Clock clock) {
        this.outbox = outbox;
        this.tx = tx;
        this.quota = quota;
        this.approval = approval;
        this.notifier = notifier;
        this.trades = trades;
        this.requests = requests;
        this.agents = agents;
        this.alerts = alerts;
        this.ids = ids;
        this.clock = clock;
    }

    /** Builds a message and appends it to the outbox; call inside the causing transaction. */
    public OutboxMessage record(String kind, String subjectId, Map<String, String> payload) {
        // created now, first due once the immediate attempt's grace has passed
        Instant now = clock.instant();
        OutboxMessage message = new OutboxMessage(ids.newId(), kind, kind + ":" + subjectId, payload, now, 0,
                now.plus(IMMEDIATE_GRACE), Optional.empty(), Optional.empty());
        outbox.append(message);
        return message;
    }

    /**
     * Whether quota completions and releases stay in this process ({@link QuotaPort#inProcess}): then
     * they are not recorded here but made right after commit ({@link #completeInProcess},
     * {@link #releaseInProcess}); the outbox holds the effects that leave the process.
     */
    public boolean quotaInProcess() {
        return quota.inProcess();
    }

    /** Completes a reservation of an in-process quota, right after the commit that counted it. */
    public void completeInProcess(String reservationId) {
        AfterCommit.attempt("quota completion", () -> quota.complete(reservationId));
    }

    /** Releases a reservation of an in-process quota, right after the commit that closed its trade. */
    public void releaseInProcess(String reservationId) {
        AfterCommit.attempt("quota release", () -> quota.release(reservationId));
    }

    /** The immediate attempt, after commit, in order. Failures stay in the outbox for {@link #runOnce}. */
    public void deliverNow(List<OutboxMessage> committed) {
        for (OutboxMessage m : committed) {
            if (QUOTA_COMPLETE.equals(m.kind())) {
                send(m);
            } else {
                attempt(m);
            }
        }
        if (acknowledgements.size() >= ACK_BATCH) {
            flushAcknowledgements();
        }
    }

    /**
     * One background pass: writes pending acknowledgements, then retries the due messages.
     *
     * @return how many messages were delivered in this pass
     */
    public int runOnce() {
        flushAcknowledgements();
        int delivered = 0;
        for (OutboxMessage m : outbox.due(clock.instant(), 100)) {
            if (attempt(m)) {
                delivered++;
            }
        }
        flushAcknowledgements();
        return delivered;
    }

    /** Messages delivered but not yet acknowledged plus undelivered ones in the store. */
    public long backlog() {
        return outbox.countPending();
    }

    /** Quota completions sent right after commit whose answer has not come yet. */
    public int unanswered() {
        return unanswered.get();
    }

    /**
     * Waits until every quota completion sent by {@link #deliverNow} has been answered (for a
     * graceful stop: before the metering client closes), at most {@code timeout}.
     *
     * @return whether none is left unanswered
     */
    public boolean awaitAnswers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unanswered.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unanswered.get() == 0;
            }
        }
        return true;
    }

    /**
     * The immediate attempt of a quota completion, without waiting for metering's answer. An answer
     * that is already there (an in-process quota) is handled as a synchronous attempt; a later one is
     * queued with the acknowledgements (delivered, or failed with its backoff), never written on the
     * answering thread (a transport's event loop must not block on the store).
     */
    private void send(OutboxMessage m) {
        if (unanswered.incrementAndGet() > MAX_UNANSWERED) {
            // metering is slow to answer: leave this one in the store, due after the grace
            unanswered.decrementAndGet();
            log.debug("outbox {} ({}) left to the background: {} completions unanswered", m.id(), m.kind(), MAX_UNANSWERED);
            return;
        }
        if (!inFlight.add(m.id())) {
            unanswered.decrementAndGet();
            return;
        }
        CompletableFuture<Void> sent;
        try {
            sent = Objects.requireNonNull(quota.completeAsync(m.payload().get("reservationId")), "completion future");
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        if (sent.isDone()) {
            try {
                answered(m, sent);
            } finally {
                inFlight.remove(m.id());
                unanswered.decrementAndGet();
            }
            return;
        }
        sent.whenComplete((ok, failure) -> {
            try {
                OutboxMessage outcome = failure == null ? m.delivered(clock.instant()) : failed(m, unwrap(failure));
                if (!acknowledgements.offer(outcome)) {
                    // the queue is full: this outcome is not recorded, the message is delivered again later
                    log.debug("outbox {} ({}): outcome not queued, will be redelivered", m.id(), m.kind());
                }
            } finally {
                inFlight.remove(m.id());
                unanswered.decrementAndGet();
            }
        });
    }

    /** A completion answered at once: recorded as {@link #attempt} records it. */
    private void answered(OutboxMessage m, CompletableFuture<Void> sent) {
        try {
            sent.get();
        } catch (ExecutionException | CompletionException e) {
            OutboxMessage failed = failed(m, unwrap(e));
            AfterCommit.attempt("outbox failure record", () -> outbox.save(failed));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // cannot happen for a done future; the message stays due
        }
        acknowledge(m.delivered(clock.instant()));
    }

    private OutboxMessage failed(OutboxMessage m, Throwable e) {
        Instant retryAt = clock.instant().plus(backoff(m.attempts() + 1));
        log.warn("outbox {} ({}) failed, attempt {}, retry at {}: {}", m.id(), m.kind(), m.attempts() + 1, retryAt,
                e.toString());
        return m.failed(e.toString(), retryAt);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private boolean attempt(OutboxMessage m) {
        if (!inFlight.add(m.id())) {
            return false;
        }
        try {
            deliver(m);
            acknowledge(m.delivered(clock.instant()));
            return true;
        } catch (RuntimeException e) {
            OutboxMessage failed = failed(m, e);
            AfterCommit.attempt("outbox failure record", () -> outbox.save(failed));
            return false;
        } finally {
            inFlight.remove(m.id());
        }
    }

    static Duration backoff(int attempts) {
        long seconds = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = Duration.ofSeconds(seconds);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private void acknowledge(OutboxMessage delivered) {
        while (!acknowledgements.offer(delivered)) {
            flushAcknowledgements();
        }
    }

    private synchronized void flushAcknowledgements() {
        List<OutboxMessage> batch = new ArrayList<>(ACK_BATCH);
        acknowledgements.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            tx.run(() -> batch.forEach(outbox::save));
        } catch (RuntimeException e) {
            // the messages stay undelivered in the store and will be delivered again (idempotently)
            log.warn("could not record {} outbox deliveries: {}", batch.size(), e.toString());
        }
    }

    private void deliver(OutboxMessage m) {
        Map<String, String> p = m.payload();
        switch (m.kind()) {
            case QUOTA_COMPLETE -> quota.complete(p.get("reservationId"));
            case QUOTA_RELEASE -> quota.release(p.get("reservationId"));
            case APPROVAL_SUBMIT -> {
                OversightRequest r = request(p);
                approval.submit(r, trade(r));
            }
            case APPROVAL_REPORT -> {
                // with the trade: an authority that lost the request (e.g. a restarted reference
                // server) is told about it first, so the message cannot be stuck forever
                OversightRequest r = request(p);
                approval.reportDecision(r, trade(r));
            }
            case NOTIFY_APPROVAL_NEEDED -> {
                OversightRequest r = request(p);
                Trade t = trade(r);
                Agent a = agents.findById(t.agentId()).orElseThrow(() -> missing("agent", t.agentId().value()));
                notifier.send(new Notification.ApprovalNeeded(r, t, a));
            }
            case NOTIFY_DECISION -> {
                OversightRequest r = request(p);
                notifier.send(new Notification.DecisionMade(r, trade(r)));
            }
            case NOTIFY_ALERT -> {
                Optional<Alert> alert = alerts.findById(AlertId.of(p.get("alertId")));
                notifier.send(new Notification.AlertNotice(alert.orElseThrow(() -> missing("alert", p.get("alertId")))));
            }
            default -> throw new IllegalStateException("unknown outbox message kind " + m.kind());
        }
    }

    private OversightRequest request(Map<String, String> p) {
        String id = p.get("requestId");
        return requests.findById(OversightRequestId.of(id)).orElseThrow(() -> missing("oversight request", id));
    }

    private Trade trade(OversightRequest r) {
        return trades.findById(r.tradeId()).orElseThrow(() -> missing("trade", r.tradeId().value()));
    }

    private static IllegalStateException missing(String what, String id) {
        return new IllegalStateException(what + " " + id + " not found");
    }
}
