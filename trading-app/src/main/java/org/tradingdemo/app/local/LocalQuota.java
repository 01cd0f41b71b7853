package org.tradingdemo.app.local;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.policy.QuotaPolicy;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * The quota without a metering service: usage is what the ledger says was executed in the window,
 * plus the open reservations of the agent. A reservation is taken atomically per agent (check and
 * reserve under the agent's monitor), so two concurrent reservations can never together exceed
 * the limit. {@link #complete} only drops the reservation: the trade's ledger row, committed just
 * before, now carries the volume.
 *
 * <p>Reservations live in memory: after a restart, trades still awaiting approval are no longer
 * reserved here (their volume is counted when they execute).
 */
public final class LocalQuota implements QuotaPort {

    private record Held(String id, AgentId agentId, Money amount, String idempotencyKey) {
    }

    private final UsageLedger ledger;
    private final Clock clock;
    private final Map<String, Held> byId = new ConcurrentHashMap<>();
    private final Map<String, Held> byKey = new ConcurrentHashMap<>();
    private final Map<AgentId, Money> reservedByAgent = new ConcurrentHashMap<>();
    private final Map<AgentId, Object> monitors = new ConcurrentHashMap<>();
    /**
     * Reservation ids outlive the process: a trade awaiting approval keeps its id in the store, and
     * the outbox keys its quota completion by it. A sequence alone would start again at 1 after a
     * restart and hand out ids that old trades and outbox rows still hold, so a late completion
     * of an old reservation would drop a new one. A random prefix per instance keeps them apart.
     */
    private final String idPrefix = "local-" + Long.toUnsignedString(new SecureRandom().nextLong(), 36) + "-";
    private final AtomicLong sequence = new AtomicLong();

    public LocalQuota(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public QuotaDecision reserve(QuotaRequest request) {
        synchronized (monitorOf(request.agentId())) {
            Held existing = byKey.get(request.idempotencyKey());
            Instant now = clock.instant();
            if (existing != null) {
                return new Granted(existing.id(), check(request.agentId(), request.limits(), Money.zero(Money.USD), now));
            }
            QuotaCheck check = check(request.agentId(), request.limits(), request.amount(), now);
            if (!check.allowed()) {
                return new Denied(check);
            }
            String id = idPrefix + sequence.incrementAndGet();
            Held held = new Held(id, request.agentId(), request.amount(), request.idempotencyKey());
            byId.put(id, held);
            byKey.put(request.idempotencyKey(), held);
            reservedByAgent.merge(request.agentId(), request.amount(), Money::plus);
            return new Granted(id, check);
        }
    }

    /** Completions and releases are made right after commit, not through the outbox. */
    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public void complete(String reservationId) {
        drop(reservationId);
    }

    @Override
    public void release(String reservationId) {
        drop(reservationId);
    }

    @Override
    public QuotaCheck status(AgentId agentId, QuotaLimits limits, UsagePeriod period) {
        Instant now = clock.instant();
        UsagePeriod.Window window = period.windowAt(now);
        return QuotaPolicy.check(window, used(agentId, window), Money.zero(Money.USD), limits.limitFor(period));
    }

    /** Open reservations, for diagnostics and tests of the flow. */
    public int openReservations() {
        return byId.size();
    }

    private void drop(String reservationId) {
        Held held = byId.get(reservationId);
        if (held == null) {
            return;
        }
        synchronized (monitorOf(held.agentId())) {
            if (byId.remove(reservationId) != null) {
                byKey.remove(held.idempotencyKey());
                reservedByAgent.computeIfPresent(held.agentId(), (a, m) -> {
                    Money left = m.minus(held.amount());
                    return left.isZero() ? null : left;
                });
            }
        }
    }

    private QuotaCheck check(AgentId agentId, QuotaLimits limits, Money amount, Instant now) {
        UsagePeriod.Window day = UsagePeriod.DAILY.windowAt(now);
        UsagePeriod.Window month = UsagePeriod.MONTHLY.windowAt(now);
        QuotaCheck daily = QuotaPolicy.check(day, used(agentId, day), amount, limits.daily());
        QuotaCheck monthly = QuotaPolicy.check(month, used(agentId, month), amount, limits.monthly());
        return QuotaPolicy.tighter(daily, monthly);
    }

    private Money used(AgentId agentId, UsagePeriod.Window window) {
        Money executed = ledger.totals(agentId, window.start(), window.end()).of(UsageType.TRADE_EXECUTED).amount();
        return executed.plus(reservedByAgent.getOrDefault(agentId, Money.zero(Money.USD)));
    }

    private Object monitorOf(AgentId agentId) {
        return monitors.computeIfAbsent(agentId, a -> new Object());
    }
}
