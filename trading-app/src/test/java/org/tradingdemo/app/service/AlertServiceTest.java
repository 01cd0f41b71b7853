package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.APPROVER;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.OWNER;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;
import static org.tradingdemo.app.service.ServiceTestData.agent;

import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase.Acknowledged;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase.AlreadyAcknowledged;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase.NotFound;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.AgentNotFound;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.RaiseAlertCommand;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.Raised;
import org.tradingdemo.domain.event.AlertRaised;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;

@ExtendWith(MockitoExtension.class)
class AlertServiceTest {

    private static final AlertId ALERT_ID = AlertId.of("alert-1");

    @Mock AlertRepository alerts;
    @Mock AgentRepository agents;
    @Mock EventPublisher events;
    @Mock NotificationPort notifier;
    @Mock IdGenerator ids;

    private AlertService service;

    @BeforeEach
    void wire() {
        service = new AlertService(alerts, agents, events, notifier, ids, CLOCK);
    }

    private static Alert alert(Optional<org.tradingdemo.domain.model.AgentId> agentId) {
        return Alert.raise(ALERT_ID, AlertSeverity.WARNING, "risk_limit", "exposure above 80 %", agentId,
                NOW.minusSeconds(600));
    }

    @Test
    void aSystemWideWarningIsSavedThenPublishedAndNotSentToHumans() {
        when(ids.newId()).thenReturn("alert-1");

        Raised raised = (Raised) service.raise(new RaiseAlertCommand(SUPERVISOR, AlertSeverity.WARNING,
                "feed_delay", "market data is 30 s late", Optional.empty()));

        Alert expected = Alert.raise(ALERT_ID, AlertSeverity.WARNING, "feed_delay", "market data is 30 s late",
                Optional.empty(), NOW);
        assertEquals(expected, raised.alert());
        InOrder order = inOrder(alerts, events);
        order.verify(alerts).save(expected);
        order.verify(events).publish(new AlertRaised(expected, NOW));
        verifyNoInteractions(agents, notifier);
    }

    @Test
    void aCriticalAlertAboutAVisibleAgentIsAlsoSentToHumans() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        when(ids.newId()).thenReturn("alert-1");

        Raised raised = (Raised) service.raise(new RaiseAlertCommand(OWNER_ACTOR, AlertSeverity.CRITICAL,
                "risk_limit", "drawdown 25 %", Optional.of(AGENT_ID)));

        assertEquals(Optional.of(AGENT_ID), raised.alert().agentId());
        InOrder order = inOrder(alerts, events, notifier);
        order.verify(alerts).save(raised.alert());
        order.verify(events).publish(new AlertRaised(raised.alert(), NOW));
        order.verify(notifier).send(new Notification.AlertNotice(raised.alert()));
    }

    @Test
    void anAlertAboutAnAgentTheCallerCannotSeeIsRefusedAndNothingIsSaved() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        assertEquals(new AgentNotFound(), service.raise(new RaiseAlertCommand(STRANGER_ACTOR, AlertSeverity.CRITICAL,
                "risk_limit", "drawdown", Optional.of(AGENT_ID))));
        verifyNoInteractions(alerts, events, notifier, ids);
    }

    @Test
    void anAlertAboutAnUnknownAgentIsRefused() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.empty());

        assertEquals(new AgentNotFound(), service.raise(new RaiseAlertCommand(SUPERVISOR, AlertSeverity.INFO,
                "note", "hello", Optional.of(AGENT_ID))));
        verifyNoInteractions(alerts, events, notifier, ids);
    }

    @Test
    void aFailingNotifierOrSubscriberDoesNotFailTheRaise() {
        when(ids.newId()).thenReturn("alert-1");
        doThrow(new IllegalStateException("bus down")).when(events).publish(any());
        doThrow(new IllegalStateException("slack down")).when(notifier).send(any());

        Object result = service.raise(new RaiseAlertCommand(SUPERVISOR, AlertSeverity.CRITICAL, "outage",
                "metering unreachable", Optional.empty()));

        assertEquals(Raised.class, result.getClass());
        verify(alerts).save(any());
    }

    @Test
    void acknowledgingRecordsWhoAndWhen() {
        Alert open = alert(Optional.of(AGENT_ID));
        when(alerts.findById(ALERT_ID)).thenReturn(Optional.of(open));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        Object result = service.acknowledge(OWNER_ACTOR, ALERT_ID);

        Alert acknowledged = open.acknowledge(OWNER, NOW);
        assertEquals(new Acknowledged(acknowledged), result);
        assertEquals(Optional.of(NOW), acknowledged.acknowledgedAt());
        verify(alerts).save(acknowledged);
        verifyNoInteractions(events, notifier);
    }

    @Test
    void aSecondAcknowledgementChangesNothing() {
        Alert done = alert(Optional.empty()).acknowledge(APPROVER, NOW.minusSeconds(60));
        when(alerts.findById(ALERT_ID)).thenReturn(Optional.of(done));

        assertEquals(new AlreadyAcknowledged(done), service.acknowledge(OWNER_ACTOR, ALERT_ID));
        verify(alerts, never()).save(any());
    }

    @Test
    void anUnknownAlertIsNotFound() {
        when(alerts.findById(ALERT_ID)).thenReturn(Optional.empty());

        assertEquals(new NotFound(), service.acknowledge(SUPERVISOR, ALERT_ID));
        verify(alerts, never()).save(any());
    }

    @Test
    void anAlertAboutAnotherTradersAgentIsNotFound() {
        when(alerts.findById(ALERT_ID)).thenReturn(Optional.of(alert(Optional.of(AGENT_ID))));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        assertEquals(new NotFound(), service.acknowledge(STRANGER_ACTOR, ALERT_ID));
        verify(alerts, never()).save(any());
    }
}
