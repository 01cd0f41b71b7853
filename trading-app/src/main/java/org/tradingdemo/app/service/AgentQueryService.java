package org.tradingdemo.app.service;

import java.util.Optional;

import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.GetAgentUseCase;
import org.tradingdemo.app.port.in.ListAgentsUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.port.AgentRepository;

/** Reads of agents, scoped to what the actor may see. */
public final class AgentQueryService implements GetAgentUseCase, ListAgentsUseCase {

    private final AgentRepository agents;

    public AgentQueryService(AgentRepository agents) {
        this.agents = agents;
    }

    @Override
    public Optional<Agent> get(Actor actor, AgentId agentId) {
        return agents.findById(agentId).filter(actor::canSee);
    }

    @Override
    public Page<Agent> list(ListAgentsQuery query) {
        Optional<org.tradingdemo.domain.model.UserId> owner = query.actor().seesAll()
                ? Optional.empty() : Optional.of(query.actor().userId());
        return agents.list(new AgentRepository.AgentQuery(owner, query.status(), query.page()));
    }
}
