package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
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

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
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
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;

@ExtendWith(MockitoExtension.class)
class AlertServiceTest {

    private static final AlertId ALERT_ID = AlertId.of("alert-1");

    @Mock AlertRepository alerts;
    @Mock AgentRepository agents;
    @Mock EventPublisher events;
    @Mock NotificationPort notifier;
    @Mock Outbox outbox;
    @Mock IdGenerator ids;
    // the relay's other ports: an alert never reaches them
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) QuotaPort quota;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) ApprovalPort approval;
    @Mock TradeRepository trades;
    @Mock OversightRequestRepository requests;

    private final Journal journal = new Journal();
    private InlineTransactions tx;
    private AlertService service;

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        OutboxRelay relay = new OutboxRelay(outbox, tx, quota, approval, notifier, trades, requests, agents, alerts,
                new SequentialIdGenerator("msg"), CLOCK);
        service = new AlertService(alerts, agents, tx, relay, events, ids, CLOCK);
        journal.watch(alerts, events, notifier, outbox);
    }

    /** After commit the relay reads the alert it tells humans about. */
    private void storeServesWhatWasSaved() {
        when(alerts.findById(ALERT_ID)).thenAnswer(journal.saved());
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
        assertEquals(List.of("begin", "alerts.save", "commit", "publish alert:raised"), journal.entries());
        verifyNoInteractions(agents, notifier, outbox, quota, approval, trades, requests);
    }

    @Test
    void aCriticalAlertAboutAVisibleAgentIsAlsoSentToHumans() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        when(ids.newId()).thenReturn("alert-1");
        storeServesWhatWasSaved();

        Raised raised = (Raised) service.raise(new RaiseAlertCommand(OWNER_ACTOR, AlertSeverity.CRITICAL,
                "risk_limit", "drawdown 25 %", Optional.of(AGENT_ID)));

        assertEquals(Optional.of(AGENT_ID), raised.alert().agentId());
        // the message is an outbox row written with the alert, delivered right after commit (before the
        // event: the outbox effects of a use case go out first)
        InOrder order = inOrder(tx, alerts, outbox, notifier, events);
        order.verify(tx).inTransaction(any());
        order.verify(alerts).save(raised.alert());
        order.verify(outbox).append(any());
        order.verify(notifier).send(new Notification.AlertNotice(raised.alert()));
        order.verify(events).publish(new AlertRaised(raised.alert(), NOW));
        assertEquals(List.of("begin", "alerts.save", "outbox.append notify.alert {alertId=alert-1}", "commit",
                "notify AlertNotice", "publish alert:raised"), journal.entries());
        ArgumentCaptor<OutboxMessage> message = ArgumentCaptor.forClass(OutboxMessage.class);
        verify(outbox).append(message.capture());
        assertEquals("notify.alert:alert-1", message.getValue().idempotencyKey());
        assertEquals(Map.of("alertId", "alert-1"), message.getValue().payload());
        verify(outbox, never()).save(any());
    }

    @Test
    void anAlertAboutAnAgentTheCallerCannotSeeIsRefusedAndNothingIsSaved() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        assertEquals(new AgentNotFound(), service.raise(new RaiseAlertCommand(STRANGER_ACTOR, AlertSeverity.CRITICAL,
                "risk_limit", "drawdown", Optional.of(AGENT_ID))));
        verifyNoInteractions(alerts, events, notifier, ids, tx, outbox);
    }

    @Test
    void anAlertAboutAnUnknownAgentIsRefused() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.empty());

        assertEquals(new AgentNotFound(), service.raise(new RaiseAlertCommand(SUPERVISOR, AlertSeverity.INFO,
                "note", "hello", Optional.of(AGENT_ID))));
        verifyNoInteractions(alerts, events, notifier, ids, tx, outbox);
    }

    @Test
    void aFailingNotifierOrSubscriberDoesNotFailTheRaiseAndTheMessageStaysInTheOutbox() {
        when(ids.newId()).thenReturn("alert-1");
        storeServesWhatWasSaved();
        doThrow(new IllegalStateException("bus down")).when(events).publish(any());
        doThrow(new IllegalStateException("slack down")).when(notifier).send(any());

        Object result = service.raise(new RaiseAlertCommand(SUPERVISOR, AlertSeverity.CRITICAL, "outage",
                "metering unreachable", Optional.empty()));

        assertEquals(Raised.class, result.getClass());
        verify(alerts).save(any());
        assertEquals(1, tx.commits());
        ArgumentCaptor<OutboxMessage> failed = ArgumentCaptor.forClass(OutboxMessage.class);
        verify(outbox).save(failed.capture());
        assertEquals("notify.alert:alert-1", failed.getValue().idempotencyKey());
        assertFalse(failed.getValue().isDelivered());
        assertEquals(1, failed.getValue().attempts());
        assertEquals(NOW.plusSeconds(1), failed.getValue().nextAttemptAt());
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
        verifyNoInteractions(events, notifier, outbox);
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
