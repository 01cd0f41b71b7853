package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.ApprovalRefusedException;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.TradeRepository;

/**
 * Approve → the trade executes exactly as on the autonomous path (its reservation is consumed, the
 * quota reservation completed). Reject → the trade is rejected and everything it held released.
 * The decision is first recorded at the oversight authority ({@code ApprovalPort.settle}); if the
 * authority had already decided, its decision is applied instead and the caller learns the request
 * was already closed. Runs under the agent's lock, so the first decision wins here too.
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
        OversightRequest wanted;
        if (request.isOverdue(now)) {
            // the deadline passed before the scheduler noticed: the decision comes too late
            wanted = request.expire(now);
        } else if (command.decision() == Decision.APPROVE) {
            wanted = request.approve(command.actor().userId(), command.comment(), now);
        } else {
            wanted = request.reject(command.actor().userId(), command.comment().orElseThrow(), now);
        }
        TradeSettlement.Settled settled;
        try {
            settled = settlement.settleAndApply(agent.get(), trade, wanted);
        } catch (OversightUnavailableException e) {
            return new OversightUnavailable(e.retryAfter());
        } catch (ApprovalRefusedException e) {
            return new SelfDecisionForbidden();
        }
        OversightRequest outcome = settled.outcome();
        boolean ours = outcome.status() == wanted.status() && outcome.processedBy().equals(wanted.processedBy());
        if (!ours || wanted.status() == OversightStatus.EXPIRED) {
            return new AlreadyClosed(outcome);
        }
        return outcome.status() == OversightStatus.APPROVED
                ? new Approved(outcome, settled.trade(), settled.portfolio())
                : new Rejected(outcome, settled.trade());
    }
}
