package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.event.OversightRequestCreated;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.event.TradeUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.MarketDataPort;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.Pending;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.Transactions;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * The submit flow of ARCHITECTURE.md §4, step by step, under the agent's lock:
 * visibility → idempotency → active → price → funds/position → quota reserve and risk (both started,
 * then the reservation awaited, then the verdict) → execute now (one transaction) or wait for approval
 * (one transaction) → after commit: the outbox effects (quota completion, oversight service, humans)
 * are delivered and events published.
 * Any failure after the reservation releases it; nothing is created unless its transaction commits.
 */
public final class SubmitTradeService implements SubmitTradeUseCase {

    private final AgentRepository agents;
    private final TradeRepository trades;
    private final PortfolioRepository portfolios;
    private final OversightRequestRepository requests;
    private final UsageLedger ledger;
    private final Transactions tx;
    private final QuotaPort quota;
    private final ApprovalPort approval;
    private final MarketDataPort marketData;
    private final IdGenerator ids;
    private final Clock clock;
    private final AgentLocks locks;
    private final TradeSettlement settlement;
    private final TradingSettings settings;
    private final OutboxRelay relay;
    private final AfterCommit afterCommit;

    public SubmitTradeService(AgentRepository agents, TradeRepository trades, PortfolioRepository portfolios,
                              OversightRequestRepository requests, UsageLedger ledger, Transactions tx,
                              QuotaPort quota, ApprovalPort approval, MarketDataPort marketData,
                              EventPublisher events, OutboxRelay relay, IdGenerator ids, Clock clock,
                              AgentLocks locks, TradeSettlement settlement, TradingSettings settings) {
        this.agents = agents;
        this.trades = trades;
        this.portfolios = portfolios;
        this.requests = requests;
        this.ledger = ledger;
        this.tx = tx;
        this.quota = quota;
        this.approval = approval;
        this.marketData = marketData;
        this.ids = ids;
        this.clock = clock;
        this.locks = locks;
        this.settlement = settlement;
        this.settings = settings;
        this.relay = relay;
        this.afterCommit = new AfterCommit(events);
    }

    @Override
    public SubmitTradeResult submit(SubmitTradeCommand command) {
        return locks.withLock(command.agentId(), () -> submitLocked(command));
    }

    private SubmitTradeResult submitLocked(SubmitTradeCommand command) {
        Optional<Agent> found = agents.findById(command.agentId()).filter(command.actor()::canSee);
        if (found.isEmpty()) {
            return new SubmitTradeResult.AgentNotFound();
        }
        Agent agent = found.get();
        if (command.clientOrderId().isPresent()) {
            Optional<Trade> original = trades.findByClientOrderId(agent.id(), command.clientOrderId().get());
            if (original.isPresent()) {
                return replay(original.get(), command);
            }
        }
        if (!agent.isActive()) {
            return new SubmitTradeResult.AgentNotActive(agent.status());
        }
        Optional<Price> price = command.price().or(() -> marketData.lastPrice(command.symbol()));
        if (price.isEmpty()) {
            return new SubmitTradeResult.NoMarketPrice(command.symbol().value());
        }
        Trade trade = newTrade(command, agent, price.get());
        Portfolio portfolio = portfolios.findByAgentId(agent.id())
                .orElseThrow(() -> new IllegalStateException("agent " + agent.id() + " has no portfolio"));
        if (!portfolio.canCover(trade)) {
            return trade.isBuy()
                    ? new SubmitTradeResult.InsufficientFunds(trade.amount().amount(), portfolio.availableCash().amount())
                    : new SubmitTradeResult.InsufficientPosition(trade.symbol().value(), trade.quantity().value(),
                    portfolio.availableQuantity(trade.symbol()));
        }
        // reservation and risk verdict are asked for together and awaited one after the other: with
        // remote services the request thread waits once instead of twice (both calls are idempotent
        // or pure, so a verdict nobody needs - quota denied, metering down - is simply dropped)
        Pending<QuotaPort.QuotaDecision> reserving;
        try {
            reserving = quota.startReserve(new QuotaPort.QuotaRequest(agent.id(), trade.amount(),
                    settings.quotaPolicy().limitsFor(agent), trade.id().value()));
        } catch (MeteringUnavailableException e) {
            return new SubmitTradeResult.DependencyUnavailable("metering", e.retryAfter());
        }
        Pending<RiskAssessment> evaluating = startEvaluation(agent, trade, portfolio);
        QuotaPort.QuotaDecision decision;
        try {
            decision = reserving.await();
        } catch (MeteringUnavailableException e) {
            return new SubmitTradeResult.DependencyUnavailable("metering", e.retryAfter());
        }
        if (decision instanceof QuotaPort.Denied denied) {
            return new SubmitTradeResult.QuotaExceeded(denied.check());
        }
        String reservation = ((QuotaPort.Granted) decision).reservationId();
        try {
            RiskAssessment risk;
            try {
                risk = evaluating.await();
            } catch (OversightUnavailableException e) {
                AfterCommit.attempt("quota release", () -> quota.release(reservation));
                return new SubmitTradeResult.DependencyUnavailable("oversight", e.retryAfter());
            }
            if (!risk.requiresApproval()) {
                TradeSettlement.Execution done = settlement.execute(agent, trade, Optional.empty(),
                        Optional.of(reservation));
                return new SubmitTradeResult.Executed(done.trade(), done.portfolio(), false);
            }
            return awaitApproval(agent, trade, risk, reservation);
        } catch (RuntimeException e) {
            // nothing committed (or the commit itself failed): give the volume back, then surface the bug/outage
            AfterCommit.attempt("quota release", () -> quota.release(reservation));
            throw e;
        }
    }

    /** The evaluation, started; a failure to start it surfaces when it is awaited (after the reservation). */
    private Pending<RiskAssessment> startEvaluation(Agent agent, Trade trade, Portfolio portfolio) {
        try {
            return approval.startEvaluate(agent, trade, portfolio);
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
    }

    private Trade newTrade(SubmitTradeCommand c, Agent agent, Price price) {
        try {
            return Trade.submit(new TradeId(ids.newId()), agent.id(), c.clientOrderId(), c.symbol(), c.side(),
                    c.quantity(), price, c.type(), clock.instant());
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("quantity", e.getMessage());
        }
    }

    private SubmitTradeResult awaitApproval(Agent agent, Trade trade, RiskAssessment risk, String reservation) {
        Instant now = clock.instant();
        OversightRequest request = OversightRequest.open(new OversightRequestId(ids.newId()), trade, risk, now,
                settings.approvalTtl());
        Trade waiting = trade.awaitApproval(reservation);
        record Waiting(Portfolio portfolio, List<OutboxMessage> effects) {
        }
        Waiting committed = tx.inTransaction(() -> {
            Portfolio after = portfolios.findByAgentId(agent.id()).orElseThrow().reserve(waiting);
            trades.save(waiting);
            portfolios.save(after);
            requests.save(request);
            ledger.append(UsageRecord.oversightRequested(request));
            Map<String, String> payload = Map.of("requestId", request.id().value());
            return new Waiting(after, List.of(
                    relay.record(OutboxRelay.APPROVAL_SUBMIT, request.id().value(), payload),
                    relay.record(OutboxRelay.NOTIFY_APPROVAL_NEEDED, request.id().value(), payload)));
        });
        relay.deliverNow(committed.effects());
        afterCommit.publish(List.of(new TradeUpdated(waiting, now), new PortfolioUpdated(committed.portfolio(), now),
                new OversightRequestCreated(request, waiting, now)));
        return new SubmitTradeResult.PendingApproval(waiting, request, false);
    }

    /** A repeated clientOrderId: the original answer, never a second execution. */
    private SubmitTradeResult replay(Trade original, SubmitTradeCommand c) {
        boolean same = original.symbol().equals(c.symbol()) && original.side() == c.side()
                && original.quantity().equals(c.quantity()) && original.type() == c.type()
                && c.price().map(p -> p.equals(original.price())).orElse(true);
        if (!same) {
            return new SubmitTradeResult.IdempotencyConflict(original);
        }
        return switch (original.status()) {
            case EXECUTED -> new SubmitTradeResult.Executed(original,
                    portfolios.findByAgentId(original.agentId()).orElseThrow(), true);
            case PENDING_APPROVAL -> requests.findByTradeId(original.id())
                    .<SubmitTradeResult>map(r -> new SubmitTradeResult.PendingApproval(original, r, true))
                    .orElseGet(() -> new SubmitTradeResult.AlreadyProcessed(original));
            default -> new SubmitTradeResult.AlreadyProcessed(original);
        };
    }
}
