package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.RaiseAlertUseCase;
import org.tradingdemo.domain.event.AlertRaised;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.Transactions;

/** Raising and acknowledging alerts. Critical alerts are also sent to humans, through the outbox. */
public final class AlertService implements RaiseAlertUseCase, AcknowledgeAlertUseCase {

    private final AlertRepository alerts;
    private final AgentRepository agents;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions tx;
    private final OutboxRelay relay;
    private final AfterCommit afterCommit;

    public AlertService(AlertRepository alerts, AgentRepository agents, Transactions tx, OutboxRelay relay,
                        EventPublisher events, IdGenerator ids, Clock clock) {
        this.alerts = alerts;
        this.agents = agents;
        this.tx = tx;
        this.relay = relay;
        this.ids = ids;
        this.clock = clock;
        this.afterCommit = new AfterCommit(events);
    }

    @Override
    public RaiseAlertResult raise(RaiseAlertCommand command) {
        if (command.agentId().isPresent()
                && agents.findById(command.agentId().get()).filter(command.actor()::canSee).isEmpty()) {
            return new AgentNotFound();
        }
        Instant now = clock.instant();
        Alert alert = Alert.raise(new AlertId(ids.newId()), command.severity(), command.type(), command.message(),
                command.agentId(), now);
        List<OutboxMessage> effects = tx.inTransaction(() -> {
            alerts.save(alert);
            return alert.severity() == AlertSeverity.CRITICAL
                    ? List.of(relay.record(OutboxRelay.NOTIFY_ALERT, alert.id().value(), Map.of("alertId", alert.id().value())))
                    : List.<OutboxMessage>of();
        });
        relay.deliverNow(effects);
        afterCommit.publish(List.of(new AlertRaised(alert, now)));
        return new Raised(alert);
    }

    @Override
    public AcknowledgeResult acknowledge(Actor actor, AlertId alertId) {
        Optional<Alert> found = alerts.findById(alertId).filter(a -> visible(actor, a));
        if (found.isEmpty()) {
            return new NotFound();
        }
        // compare-and-set under the alert's monitor: two acknowledgements cannot both win
        synchronized (this) {
            Alert current = alerts.findById(alertId).orElseThrow();
            if (current.isAcknowledged()) {
                return new AlreadyAcknowledged(current);
            }
            Alert acknowledged = current.acknowledge(actor.userId(), clock.instant());
            alerts.save(acknowledged);
            return new Acknowledged(acknowledged);
        }
    }

    private boolean visible(Actor actor, Alert alert) {
        return alert.agentId().map(id -> agents.findById(id).filter(actor::canSee).isPresent()).orElse(true);
    }
}
