package org.tradingdemo.app.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.GetOversightRequestUseCase;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.OversightRequestRepository;

/** Reads of approval requests: supervisors see all, traders those of their own agents. */
public final class OversightQueryService implements ListOversightRequestsUseCase, GetOversightRequestUseCase {

    private final OversightRequestRepository requests;
    private final AgentRepository agents;

    public OversightQueryService(OversightRequestRepository requests, AgentRepository agents) {
        this.requests = requests;
        this.agents = agents;
    }

    @Override
    public Page<OversightRequest> list(ListOversightRequestsQuery query) {
        Optional<Set<AgentId>> scope = query.actor().seesAll()
                ? Optional.empty() : Optional.of(new HashSet<>(agents.idsOwnedBy(query.actor().userId())));
        return requests.list(new OversightRequestRepository.OversightQuery(query.status(), scope, query.page()));
    }

    @Override
    public Optional<OversightRequest> get(Actor actor, OversightRequestId requestId) {
        return requests.findById(requestId)
                .filter(r -> agents.findById(r.agentId()).filter(actor::canSee).isPresent());
    }
}
