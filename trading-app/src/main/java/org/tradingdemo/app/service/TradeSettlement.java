package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.domain.event.AlertRaised;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.event.OversightDecided;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.event.QuotaWarning;
import org.tradingdemo.domain.event.TradeUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.policy.QuotaPolicy;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.Transactions;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * The two ways an open trade ends, shared by every use case that ends one (submit, approve,
 * reject, cancel, expire, terminate). Each is ONE transaction followed by the after-commit work.
 * Callers hold the agent's lock.
 */
public final class TradeSettlement {

    private final Transactions tx;
    private final TradeRepository trades;
    private final PortfolioRepository portfolios;
    private final OversightRequestRepository requests;
    private final UsageLedger ledger;
    private final AlertRepository alerts;
    private final OutboxRelay relay;
    private final ApprovalPort approval;
    private final IdGenerator ids;
    private final Clock clock;
    private final QuotaPolicy quotaPolicy;
    private final AfterCommit afterCommit;

    public TradeSettlement(Transactions tx, TradeRepository trades, PortfolioRepository portfolios,
                           OversightRequestRepository requests, UsageLedger ledger, AlertRepository alerts,
                           OutboxRelay relay, ApprovalPort approval, EventPublisher events, IdGenerator ids,
                           Clock clock, QuotaPolicy quotaPolicy) {
        this.tx = tx;
        this.trades = trades;
        this.portfolios = portfolios;
        this.requests = requests;
        this.ledger = ledger;
        this.alerts = alerts;
        this.relay = relay;
        this.approval = approval;
        this.ids = ids;
        this.clock = clock;
        this.quotaPolicy = quotaPolicy;
        this.afterCommit = new AfterCommit(events);
    }

    /** What an execution committed, and the effects it recorded in the outbox. */
    public record Execution(Trade trade, Portfolio portfolio, Optional<OversightRequest> request,
                            List<OutboxMessage> effects) {
    }

    /** How a pending request really ended, and what applying it here produced. */
    public record Settled(OversightRequest outcome, Trade trade, Portfolio portfolio) {
    }

    /**
     * Closes a pending request the way {@code wanted} says - but only after the oversight authority
     * has recorded it ({@link ApprovalPort#settle}): when the authority had already decided
     * otherwise, its decision is the one applied here. That is what keeps this service and an
     * external oversight service in agreement whoever decides first.
     *
     * @throws org.tradingdemo.domain.port.OversightUnavailableException nothing was applied
     * @throws org.tradingdemo.domain.port.ApprovalRefusedException      nothing was applied
     */
    public Settled settleAndApply(Agent agent, Trade trade, OversightRequest wanted) {
        return apply(agent, trade, approval.settle(wanted, trade));
    }

    /** Applies a final outcome of a request to its open trade: approved executes, the rest close it. */
    public Settled apply(Agent agent, Trade trade, OversightRequest outcome) {
        Instant now = clock.instant();
        switch (outcome.status()) {
            case APPROVED -> {
                Execution done = execute(agent, trade, Optional.of(outcome), trade.quotaReservation());
                return new Settled(outcome, done.trade(), done.portfolio());
            }
            case REJECTED -> {
                Closing done = close(trade, t -> t.reject("rejected by approver: "
                        + outcome.comment().orElse("no reason given"), now), Optional.of(outcome));
                return new Settled(outcome, done.trade(), done.portfolio());
            }
            case EXPIRED -> {
                Closing done = close(trade, t -> t.cancel("approval expired", now), Optional.of(outcome));
                return new Settled(outcome, done.trade(), done.portfolio());
            }
            case CANCELLED -> {
                Closing done = close(trade, t -> t.cancel(outcome.comment().orElse("cancelled"), now),
                        Optional.of(outcome));
                return new Settled(outcome, done.trade(), done.portfolio());
            }
            default -> throw new IllegalStateException("request " + outcome.id() + " is still pending");
        }
    }

    /**
     * What a closing committed, and the effects it recorded in the outbox.
     *
     * @param releaseInProcess the reservation an in-process quota gives back right after commit
     *                         (not an outbox effect: see {@link org.tradingdemo.domain.port.QuotaPort#inProcess})
     */
    public record Closing(Trade trade, Portfolio portfolio, Optional<OversightRequest> request,
                          List<OutboxMessage> effects, Optional<String> releaseInProcess) {
    }

    /**
     * Executes a pending or approved trade: trade {@code executed}, portfolio moved (consuming any
     * reservation), usage recorded, the decided request saved and the effects (quota completion,
     * decision report and message) recorded in the outbox - together. Then the effects are delivered
     * and events go out. An in-process quota's completion is no outbox effect: it is made right
     * after commit ({@link org.tradingdemo.domain.port.QuotaPort#inProcess}).
     *
     * @param approved the approved request, when this execution follows an approval
     */
    public Execution execute(Agent agent, Trade trade, Optional<OversightRequest> approved,
                             Optional<String> reservationId) {
        Instant now = clock.instant();
        List<DomainEvent> events = new ArrayList<>(4);
        boolean quotaInProcess = relay.quotaInProcess();
        Execution done = tx.inTransaction(() -> {
            Portfolio before = requirePortfolio(trade);
            Trade executed = trade.execute(now);
            Portfolio after = before.apply(executed);
            trades.save(executed);
            portfolios.save(after);
            approved.ifPresent(requests::save);
            events.addAll(recordVolume(agent, executed, now));
            List<OutboxMessage> effects = new ArrayList<>(3);
            if (!quotaInProcess) {
                reservationId.ifPresent(r -> effects.add(
                        relay.record(OutboxRelay.QUOTA_COMPLETE, r, Map.of("reservationId", r))));
            }
            approved.ifPresent(r -> effects.addAll(decisionEffects(r)));
            return new Execution(executed, after, approved, effects);
        });
        if (quotaInProcess) {
            reservationId.ifPresent(relay::completeInProcess);
        }
        relay.deliverNow(done.effects());
        List<DomainEvent> out = new ArrayList<>(4 + events.size());
        out.add(new TradeUpdated(done.trade(), now));
        out.add(new PortfolioUpdated(done.portfolio(), now));
        approved.ifPresent(r -> out.add(new OversightDecided(r, done.trade(), now)));
        out.addAll(events);
        afterCommit.publish(out);
        return done;
    }

    private List<OutboxMessage> decisionEffects(OversightRequest decided) {
        Map<String, String> payload = Map.of("requestId", decided.id().value());
        return List.of(relay.record(OutboxRelay.APPROVAL_REPORT, decided.id().value(), payload),
                relay.record(OutboxRelay.NOTIFY_DECISION, decided.id().value(), payload));
    }

    /**
     * Closes an open trade without executing it (rejected, cancelled, expired, agent terminated):
     * trade moved by {@code transition}, its reservation released, its request closed and the
     * effects (quota release, decision report and message) recorded - together. Then the effects are
     * delivered and events go out.
     */
    public Closing close(Trade trade, java.util.function.UnaryOperator<Trade> transition,
                         Optional<OversightRequest> closedRequest) {
        Closing done = tx.inTransaction(() -> closeInTransaction(trade, transition, closedRequest));
        afterClose(List.of(done), clock.instant());
        return done;
    }

    /** The transactional half of {@link #close}, for use cases that close several trades in one unit. */
    Closing closeInTransaction(Trade trade, java.util.function.UnaryOperator<Trade> transition,
                               Optional<OversightRequest> closedRequest) {
        Trade closed = transition.apply(trade);
        Portfolio after = requirePortfolio(trade).release(trade.id());
        trades.save(closed);
        portfolios.save(after);
        closedRequest.ifPresent(requests::save);
        List<OutboxMessage> effects = new ArrayList<>(3);
        boolean quotaInProcess = relay.quotaInProcess();
        if (!quotaInProcess) {
            trade.quotaReservation().ifPresent(r -> effects.add(
                    relay.record(OutboxRelay.QUOTA_RELEASE, r, Map.of("reservationId", r))));
        }
        closedRequest.ifPresent(r -> effects.addAll(decisionEffects(r)));
        return new Closing(closed, after, closedRequest, effects,
                quotaInProcess ? trade.quotaReservation() : Optional.empty());
    }

    /** The after-commit half of {@link #close}: effects delivered, events published. */
    void afterClose(List<Closing> closings, Instant now) {
        List<DomainEvent> out = new ArrayList<>();
        for (Closing c : closings) {
            c.releaseInProcess().ifPresent(relay::releaseInProcess);
            relay.deliverNow(c.effects());
            out.add(new TradeUpdated(c.trade(), now));
            c.request().ifPresent(r -> out.add(new OversightDecided(r, c.trade(), now)));
        }
        if (!closings.isEmpty()) {
            out.add(new PortfolioUpdated(closings.get(closings.size() - 1).portfolio(), now));
        }
        afterCommit.publish(out);
    }

    /**
     * Appends the executed volume to the ledger and, when it lifts the agent across 80 % of a
     * window's limit, raises the window's one warning (an alert in this transaction, events after).
     */
    private List<DomainEvent> recordVolume(Agent agent, Trade executed, Instant now) {
        QuotaLimits limits = quotaPolicy.limitsFor(agent);
        List<DomainEvent> warnings = new ArrayList<>(0);
        for (UsagePeriod period : UsagePeriod.values()) {
            UsagePeriod.Window window = period.windowAt(now);
            Money before = ledger.totals(agent.id(), window.start(), window.end()).of(UsageType.TRADE_EXECUTED).amount();
            Money limit = limits.limitFor(period);
            if (QuotaPolicy.crossesWarning(before, before.plus(executed.amount()), limit)) {
                Money used = before.plus(executed.amount());
                Alert alert = Alert.raise(new AlertId(ids.newId()), AlertSeverity.WARNING, "quota_warning",
                        "agent " + agent.name() + " has used " + used.amount().toPlainString() + " of its "
                                + period.wireName() + " trading volume limit of " + limit.amount().toPlainString(),
                        Optional.of(agent.id()), now);
                alerts.save(alert);
                warnings.add(new QuotaWarning(agent.id(), period, used, limit, window.resetAt(), now));
                warnings.add(new AlertRaised(alert, now));
            }
        }
        ledger.append(UsageRecord.tradeExecuted(executed, now));
        return warnings;
    }

    private Portfolio requirePortfolio(Trade trade) {
        return portfolios.findByAgentId(trade.agentId())
                .orElseThrow(() -> new IllegalStateException("agent " + trade.agentId() + " has no portfolio"));
    }
}
