package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.TradeRepository;

/** The owner withdraws a trade that is still waiting: cancelled, its request cancelled, everything released. */
public final class CancelTradeService implements CancelTradeUseCase {

    private final TradeRepository trades;
    private final AgentRepository agents;
    private final OversightRequestRepository requests;
    private final TradeSettlement settlement;
    private final AgentLocks locks;
    private final Clock clock;

    public CancelTradeService(TradeRepository trades, AgentRepository agents, OversightRequestRepository requests,
                              TradeSettlement settlement, AgentLocks locks, Clock clock) {
        this.trades = trades;
        this.agents = agents;
        this.requests = requests;
        this.settlement = settlement;
        this.locks = locks;
        this.clock = clock;
    }

    @Override
    public CancelTradeResult cancel(CancelTradeCommand command) {
        Optional<Trade> found = trades.findById(command.tradeId());
        if (found.isEmpty()) {
            return new NotFound();
        }
        return locks.withLock(found.get().agentId(), () -> cancelLocked(command));
    }

    private CancelTradeResult cancelLocked(CancelTradeCommand command) {
        Trade trade = trades.findById(command.tradeId()).orElseThrow();
        Optional<Agent> agent = agents.findById(trade.agentId());
        if (agent.isEmpty() || !command.actor().canSee(agent.get())) {
            return new NotFound();
        }
        if (!agent.get().isOwnedBy(command.actor().userId()) && !command.actor().seesAll()) {
            return new NotOwner();
        }
        if (!trade.isOpen()) {
            return new Conflict(trade.status());
        }
        Instant now = clock.instant();
        String why = command.reason().orElse("cancelled by " + command.actor().userId().value());
        Optional<OversightRequest> pending = requests.findByTradeId(trade.id()).filter(OversightRequest::isPending);
        if (pending.isEmpty()) {
            TradeSettlement.Closing done = settlement.close(trade, t -> t.cancel(why, now), Optional.empty());
            return new Cancelled(done.trade(), done.portfolio());
        }
        TradeSettlement.Settled settled;
        try {
            settled = settlement.settleAndApply(agent.get(), trade, pending.get().cancel(why, now));
        } catch (OversightUnavailableException e) {
            return new OversightUnavailable(e.retryAfter());
        }
        // the oversight authority may have decided first: then its decision was applied instead
        return settled.outcome().status() == OversightStatus.CANCELLED
                ? new Cancelled(settled.trade(), settled.portfolio())
                : new Conflict(settled.trade().status());
    }
}
