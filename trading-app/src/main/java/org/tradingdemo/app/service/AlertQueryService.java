package org.tradingdemo.app.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.tradingdemo.app.port.in.ListAlertsUseCase;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;

/** Alerts a supervisor sees all of; a trader, those of their agents and the system-wide ones. */
public final class AlertQueryService implements ListAlertsUseCase {

    private final AlertRepository alerts;
    private final AgentRepository agents;

    public AlertQueryService(AlertRepository alerts, AgentRepository agents) {
        this.alerts = alerts;
        this.agents = agents;
    }

    @Override
    public Page<Alert> list(ListAlertsQuery query) {
        Optional<Set<AgentId>> scope = query.actor().seesAll()
                ? Optional.empty() : Optional.of(new HashSet<>(agents.idsOwnedBy(query.actor().userId())));
        return alerts.list(new AlertRepository.AlertQuery(query.acknowledged(), query.severity(), scope, query.page()));
    }
}
