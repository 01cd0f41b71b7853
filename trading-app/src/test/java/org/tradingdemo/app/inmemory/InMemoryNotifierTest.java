package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.contract.TestData;

class InMemoryNotifierTest {

    @Test
    void keepsTheLastNotificationsOldestFirst() {
        InMemoryNotifier notifier = new InMemoryNotifier(2);
        List<Notification> notices = IntStream.range(0, 3)
                .mapToObj(i -> (Notification) new Notification.AlertNotice(TestData.alert().build())).toList();

        notices.forEach(notifier::send);

        assertEquals(notices.subList(1, 3), notifier.sent());
        assertThrows(IllegalArgumentException.class, () -> new InMemoryNotifier(0));
    }

    @Test
    void summariesNameIdsAndStatesButNoFreeText() {
        Agent agent = TestData.agent().build();
        Trade trade = TestData.trade().agentId(agent.id()).status(TradeStatus.PENDING_APPROVAL).build();
        OversightRequest pending = TestData.request().agentId(agent.id()).tradeId(trade.id()).build();
        OversightRequest rejected = TestData.request().agentId(agent.id()).tradeId(trade.id()).status(OversightStatus.REJECTED).build();

        String approval = LoggingNotifier.summary(new Notification.ApprovalNeeded(pending, trade, agent));
        String decision = LoggingNotifier.summary(new Notification.DecisionMade(rejected, trade));
        String alert = LoggingNotifier.summary(new Notification.AlertNotice(
                TestData.alert().message("password=hunter2").build()));

        assertTrue(approval.contains(pending.id().value()) && approval.contains(trade.id().value()), approval);
        assertTrue(decision.contains("rejected") && decision.contains("approver-1"), decision);
        assertFalse(decision.contains("too concentrated"), decision);
        assertFalse(alert.contains("hunter2"), alert);
    }

    @Test
    void theLoggingNotifierAcceptsEveryKind() {
        LoggingNotifier notifier = new LoggingNotifier();
        notifier.send(new Notification.AlertNotice(TestData.alert().noAgent().build()));
    }
}
