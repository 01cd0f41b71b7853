package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.TradeRepository;

/**
 * Approve → the trade executes exactly as on the autonomous path (its reservation is consumed, the
 * quota reservation completed). Reject → the trade is rejected and everything it held released.
 * Runs under the agent's lock, so the first decision wins and a second sees a closed request.
 */
public final class DecideOversightRequestService implements DecideOversightRequestUseCase {

    private final OversightRequestRepository requests;
    private final TradeRepository trades;
    private final AgentRepository agents;
    private final TradeSettlement settlement;
    private final AgentLocks locks;
    private final Clock clock;

    public DecideOversightRequestService(OversightRequestRepository requests, TradeRepository trades,
                                         AgentRepository agents, TradeSettlement settlement, AgentLocks locks,
                                         Clock clock) {
        this.requests = requests;
        this.trades = trades;
        this.agents = agents;
        this.settlement = settlement;
        this.locks = locks;
        this.clock = clock;
    }

    @Override
    public DecisionResult decide(DecideCommand command) {
        Optional<OversightRequest> found = requests.findById(command.requestId());
        if (found.isEmpty()) {
            return new NotFound();
        }
        return locks.withLock(found.get().agentId(), () -> decideLocked(command));
    }

    private DecisionResult decideLocked(DecideCommand command) {
        OversightRequest request = requests.findById(command.requestId()).orElseThrow();
        Optional<Agent> agent = agents.findById(request.agentId());
        if (agent.isEmpty() || !command.actor().canSee(agent.get())) {
            return new NotFound();
        }
        if (agent.get().isOwnedBy(command.actor().userId())) {
            return new SelfDecisionForbidden();
        }
        Instant now = clock.instant();
        if (!request.isPending()) {
            return new AlreadyClosed(request);
        }
        Trade trade = trades.findById(request.tradeId())
                .orElseThrow(() -> new IllegalStateException("request " + request.id() + " has no trade"));
        if (request.isOverdue(now)) {
            // the deadline passed before the scheduler noticed: expire it now, the decision comes too late
            OversightRequest expired = request.expire(now);
            settlement.close(trade, t -> t.cancel("approval expired", now), Optional.of(expired));
            return new AlreadyClosed(expired);
        }
        if (command.decision() == Decision.APPROVE) {
            OversightRequest approved = request.approve(command.actor().userId(), command.comment(), now);
            TradeSettlement.Execution done = settlement.execute(agent.get(), trade, Optional.of(approved),
                    trade.quotaReservation());
            return new Approved(approved, done.trade(), done.portfolio());
        }
        String why = command.comment().orElseThrow();
        OversightRequest rejected = request.reject(command.actor().userId(), why, now);
        TradeSettlement.Closing done = settlement.close(trade, t -> t.reject("rejected by approver: " + why, now),
                Optional.of(rejected));
        return new Rejected(rejected, done.trade());
    }
}
