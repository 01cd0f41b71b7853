package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.tradingdemo.app.port.in.ExpireOverdueRequestsUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.TradeRepository;

/**
 * Expires pending requests past their deadline in batches: request {@code expired}, trade
 * {@code cancelled}, reservation released. Each request is closed in its own transaction under
 * its agent's lock, so a decision racing the expiry sees a consistent state either way.
 */
public final class ExpireOverdueRequestsService implements ExpireOverdueRequestsUseCase {

    static final int BATCH = 100;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ExpireOverdueRequestsService.class);

    private final OversightRequestRepository requests;
    private final TradeRepository trades;
    private final AgentRepository agents;
    private final TradeSettlement settlement;
    private final AgentLocks locks;
    private final Clock clock;

    public ExpireOverdueRequestsService(OversightRequestRepository requests, TradeRepository trades,
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
    public int expireOverdue() {
        int expired = 0;
        while (true) {
            Instant now = clock.instant();
            List<OversightRequest> batch = requests.findOverdue(now, BATCH);
            int before = expired;
            for (OversightRequest candidate : batch) {
                if (locks.withLock(candidate.agentId(), () -> expireLocked(candidate, now))) {
                    expired++;
                }
            }
            if (batch.size() < BATCH || expired == before) {
                return expired;
            }
        }
    }

    private boolean expireLocked(OversightRequest candidate, Instant now) {
        // re-read under the lock: a decision may have closed it since the batch was read
        Optional<OversightRequest> current = requests.findById(candidate.id()).filter(r -> r.isOverdue(now));
        if (current.isEmpty()) {
            return false;
        }
        OversightRequest expired = current.get().expire(now);
        Optional<Trade> open = trades.findById(expired.tradeId()).filter(Trade::isOpen);
        Optional<Agent> agent = agents.findById(expired.agentId());
        if (open.isEmpty() || agent.isEmpty()) {
            requests.save(expired);
            return true;
        }
        try {
            // the authority may have decided just before the deadline: then that decision is applied
            settlement.settleAndApply(agent.get(), open.get(), expired);
            return true;
        } catch (OversightUnavailableException e) {
            log.warn("request {} is overdue but the oversight service is unavailable; retrying on the next run",
                    expired.id());
            return false;
        }
    }
}
