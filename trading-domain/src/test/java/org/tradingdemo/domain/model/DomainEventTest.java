package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.T1;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.event.AgentUpdated;
import org.tradingdemo.domain.event.AlertRaised;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.event.OversightDecided;
import org.tradingdemo.domain.event.OversightRequestCreated;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.event.QuotaWarning;
import org.tradingdemo.domain.event.TradeUpdated;

/** Wire types and agent routing of the domain events (kept here: tests live in model/ and policy/ only). */
class DomainEventTest {

    private final Agent agent = ModelTestData.agent();
    private final Trade trade = ModelTestData.buy("t-1", "1000", "60").awaitApproval("r");
    private final OversightRequest request = OversightRequest.open(OversightRequestId.of("req-1"), trade,
            new RiskAssessment(RiskLevel.MEDIUM, true, List.of("big")), T0, Duration.ofMinutes(30));

    @Test
    void typesAreTheDocumentedWireNames() {
        assertEquals("agent:update", new AgentUpdated(agent, T1).type());
        assertEquals("trade:update", new TradeUpdated(trade, T1).type());
        assertEquals("portfolio:update", new PortfolioUpdated(Portfolio.open(AGENT, Money.usd(1000)), T1).type());
        assertEquals("oversight:request_created", new OversightRequestCreated(request, trade, T1).type());
        assertEquals("oversight:decided",
                new OversightDecided(request.approve(ModelTestData.APPROVER, Optional.empty(), T1), trade, T1).type());
        assertEquals("quota:warning", quotaWarning().type());
        assertEquals("alert:raised", new AlertRaised(alert(Optional.of(AGENT)), T1).type());

        assertEquals("agent:update", AgentUpdated.TYPE);
        assertEquals("trade:update", TradeUpdated.TYPE);
        assertEquals("portfolio:update", PortfolioUpdated.TYPE);
        assertEquals("oversight:request_created", OversightRequestCreated.TYPE);
        assertEquals("oversight:decided", OversightDecided.TYPE);
        assertEquals("quota:warning", QuotaWarning.TYPE);
        assertEquals("alert:raised", AlertRaised.TYPE);
    }

    @Test
    void everyAgentScopedEventRoutesToItsAgent() {
        List<DomainEvent> events = List.of(
                new AgentUpdated(agent, T1),
                new TradeUpdated(trade, T1),
                new PortfolioUpdated(Portfolio.open(AGENT, Money.usd(1000)), T1),
                new OversightRequestCreated(request, trade, T1),
                new OversightDecided(request.cancel("x", T1), trade, T1),
                quotaWarning(),
                new AlertRaised(alert(Optional.of(AGENT)), T1));
        for (DomainEvent e : events) {
            assertEquals(Optional.of(AGENT), e.agentId(), e.type());
            assertEquals(T1, e.occurredAt(), e.type());
        }
    }

    @Test
    void routingFollowsTheEntityNotAConstant() {
        AgentId other = AgentId.of("agent-77");
        Trade foreign = ModelTestData.trade("t-2", other, ModelTestData.AAPL, Side.SELL, "1", "1");
        assertEquals(Optional.of(other), new TradeUpdated(foreign, T1).agentId());
        assertEquals(Optional.of(other), new PortfolioUpdated(Portfolio.open(other, Money.usd(1000)), T1).agentId());
    }

    @Test
    void alertWithoutAgentIsNotAgentScoped() {
        assertEquals(Optional.empty(), new AlertRaised(alert(Optional.empty()), T1).agentId());
    }

    private static QuotaWarning quotaWarning() {
        return new QuotaWarning(AGENT, UsagePeriod.DAILY, Money.usd(800), Money.usd(1000),
                UsagePeriod.DAILY.windowAt(T0).resetAt(), T1);
    }

    private static Alert alert(Optional<AgentId> agentId) {
        return Alert.raise(AlertId.of("al-1"), AlertSeverity.WARNING, "quota_warning", "80 %", agentId, T0);
    }
}
