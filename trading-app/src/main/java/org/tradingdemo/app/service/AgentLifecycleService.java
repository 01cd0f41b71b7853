package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tradingdemo.app.port.in.AgentCommand;
import org.tradingdemo.app.port.in.AgentStatusResult;
import org.tradingdemo.app.port.in.ResumeAgentUseCase;
import org.tradingdemo.app.port.in.SuspendAgentUseCase;
import org.tradingdemo.app.port.in.TerminateAgentUseCase;
import org.tradingdemo.domain.event.AgentUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.Transactions;

/**
 * Suspend, resume and terminate: the three moves of the agent state machine. Only the owner (or a
 * supervisor) may move an agent. Terminating cancels every open trade of the agent: each pending
 * approval request is first cancelled at the oversight authority (whose earlier decision wins),
 * then the status change and the remaining closings commit in one transaction.
 */
public final class AgentLifecycleService implements SuspendAgentUseCase, ResumeAgentUseCase, TerminateAgentUseCase {

    private final AgentRepository agents;
    private final TradeRepository trades;
    private final OversightRequestRepository requests;
    private final Transactions tx;
    private final TradeSettlement settlement;
    private final AgentLocks locks;
    private final Clock clock;
    private final AfterCommit afterCommit;

    public AgentLifecycleService(AgentRepository agents, TradeRepository trades, OversightRequestRepository requests,
                                 Transactions tx, TradeSettlement settlement, EventPublisher events,
                                 AgentLocks locks, Clock clock) {
        this.agents = agents;
        this.trades = trades;
        this.requests = requests;
        this.tx = tx;
        this.settlement = settlement;
        this.locks = locks;
        this.clock = clock;
        this.afterCommit = new AfterCommit(events);
    }

    @Override
    public AgentStatusResult suspend(AgentCommand command) {
        return move(command, AgentStatus.SUSPENDED);
    }

    @Override
    public AgentStatusResult resume(AgentCommand command) {
        return move(command, AgentStatus.ACTIVE);
    }

    @Override
    public AgentStatusResult terminate(AgentCommand command) {
        return move(command, AgentStatus.TERMINATED);
    }

    private AgentStatusResult move(AgentCommand command, AgentStatus next) {
        return locks.withLock(command.agentId(), () -> {
            Optional<Agent> found = agents.findById(command.agentId()).filter(command.actor()::canSee);
            if (found.isEmpty()) {
                return new AgentStatusResult.NotFound();
            }
            Agent agent = found.get();
            if (!agent.canMoveTo(next)) {
                return new AgentStatusResult.Conflict(agent.status(),
                        "agent is " + agent.status().wireName() + " and cannot become " + next.wireName());
            }
            Instant now = clock.instant();
            Agent moved = switch (next) {
                case SUSPENDED -> agent.suspend(now);
                case ACTIVE -> agent.resume(now);
                case TERMINATED -> agent.terminate(now);
            };
            List<Trade> open = next == AgentStatus.TERMINATED ? trades.findOpen(agent.id()) : List.of();
            // first the oversight authority records every cancellation (it may have approved one first:
            // that trade then executes); only trades without a pending request are closed here directly
            List<Trade> settledElsewhere = new ArrayList<>();
            List<Trade> closeHere = new ArrayList<>();
            for (Trade trade : open) {
                Optional<OversightRequest> pending = requests.findByTradeId(trade.id()).filter(OversightRequest::isPending);
                if (pending.isEmpty()) {
                    closeHere.add(trade);
                    continue;
                }
                try {
                    TradeSettlement.Settled s = settlement.settleAndApply(agent, trade,
                            pending.get().cancel("agent terminated", now));
                    settledElsewhere.add(s.trade());
                } catch (OversightUnavailableException e) {
                    return new AgentStatusResult.OversightUnavailable(e.retryAfter());
                }
            }
            List<TradeSettlement.Closing> closings = tx.inTransaction(() -> {
                agents.save(moved);
                List<TradeSettlement.Closing> closed = new ArrayList<>(closeHere.size());
                for (Trade trade : closeHere) {
                    closed.add(settlement.closeInTransaction(trade, t -> t.cancel("agent terminated", now),
                            Optional.empty()));
                }
                return closed;
            });
            afterCommit.publish(List.of(new AgentUpdated(moved, now)));
            if (!closings.isEmpty()) {
                settlement.afterClose(closings, now);
            }
            List<Trade> ended = new ArrayList<>(settledElsewhere);
            closings.forEach(c -> ended.add(c.trade()));
            return new AgentStatusResult.Changed(moved, ended);
        });
    }
}
