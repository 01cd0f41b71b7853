package org.tradingdemo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.app.inmemory.InMemoryEventPublisher;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.AgentCommand;
import org.tradingdemo.app.port.in.AgentStatusResult;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.PortfolioValuation;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UserId;

/** The whole trade flow through the public entry point, on the in-memory adapters. */
class TradingDemoFlowTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    private final InMemoryEventPublisher events = new InMemoryEventPublisher();
    private final List<DomainEvent> seen = new CopyOnWriteArrayList<>();
    private final Actor trader = Actor.owner(UserId.of("trader"));
    private final Actor approver = Actor.supervisor(UserId.of("approver"));
    private TradingDemo demo;
    private Agent agent;

    @BeforeEach
    void setUp() {
        events.subscribe(seen::add);
        demo = TradingDemo.builder(clock).events(events).build();
        agent = demo.createAgent().create(CreateAgentCommand.of(trader, "Alpha", new BigDecimal("100000"), "balanced",
                "medium", null));
    }

    private SubmitTradeResult buy(String symbol, String qty, String price, String clientOrderId) {
        return demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(), symbol, "buy", new BigDecimal(qty),
                new BigDecimal(price), "limit", clientOrderId));
    }

    private PortfolioValuation portfolio() {
        return demo.getPortfolio().get(trader, agent.id()).orElseThrow();
    }

    @Test
    void smallTradeExecutesAtOnceWithAmount1500() {
        SubmitTradeResult.Executed r = assertInstanceOf(SubmitTradeResult.Executed.class, buy("AAPL", "10", "150", null));
        assertEquals(TradeStatus.EXECUTED, r.trade().status());
        assertEquals(0, r.trade().amount().amount().compareTo(new BigDecimal("1500")));
        assertEquals(0, portfolio().cash().amount().compareTo(new BigDecimal("98500")));
        assertTrue(seen.stream().anyMatch(e -> e.type().equals("trade:update")));
    }

    @Test
    void largeTradeWaitsThenApprovalExecutesIt() {
        SubmitTradeResult.PendingApproval p = assertInstanceOf(SubmitTradeResult.PendingApproval.class,
                buy("MSFT", "150", "400", null));
        assertEquals(0, portfolio().availableCash().amount().compareTo(new BigDecimal("40000")));
        assertEquals(0, portfolio().cash().amount().compareTo(new BigDecimal("100000")));

        var approved = assertInstanceOf(DecideOversightRequestUseCase.Approved.class, demo.decideOversightRequest()
                .decide(new DecideCommand(approver, p.request().id(), Decision.APPROVE, Optional.empty())));
        assertEquals(TradeStatus.EXECUTED, approved.trade().status());
        assertEquals(0, portfolio().cash().amount().compareTo(new BigDecimal("40000")));
        assertEquals(0, portfolio().reservedCash().amount().signum());

        // first decision wins
        assertInstanceOf(DecideOversightRequestUseCase.AlreadyClosed.class, demo.decideOversightRequest()
                .decide(new DecideCommand(approver, p.request().id(), Decision.REJECT, Optional.of("too late"))));
        UsageReport usage = demo.getAgentUsage().usage(trader, agent.id(), UsagePeriod.DAILY).orElseThrow();
        assertEquals(0, usage.used().amount().compareTo(new BigDecimal("60000")));
    }

    @Test
    void rejectionReleasesTheCashAndTheQuota() {
        var p = assertInstanceOf(SubmitTradeResult.PendingApproval.class, buy("MSFT", "150", "400", null));
        var rejected = assertInstanceOf(DecideOversightRequestUseCase.Rejected.class, demo.decideOversightRequest()
                .decide(new DecideCommand(approver, p.request().id(), Decision.REJECT, Optional.of("too concentrated"))));
        assertEquals(TradeStatus.REJECTED, rejected.trade().status());
        assertEquals(0, portfolio().availableCash().amount().compareTo(new BigDecimal("100000")));
        UsageReport usage = demo.getAgentUsage().usage(trader, agent.id(), UsagePeriod.DAILY).orElseThrow();
        assertEquals(0, usage.used().amount().signum(), "the reservation was released");
    }

    @Test
    void ownerCannotApproveTheirOwnAgentsTrade() {
        var p = assertInstanceOf(SubmitTradeResult.PendingApproval.class, buy("MSFT", "150", "400", null));
        Actor ownerAsSupervisor = Actor.supervisor(UserId.of("trader"));
        assertInstanceOf(DecideOversightRequestUseCase.SelfDecisionForbidden.class, demo.decideOversightRequest()
                .decide(new DecideCommand(ownerAsSupervisor, p.request().id(), Decision.APPROVE, Optional.empty())));
    }

    @Test
    void expiryCancelsTheTradeAndReleasesTheCash() {
        var p = assertInstanceOf(SubmitTradeResult.PendingApproval.class, buy("MSFT", "150", "400", null));
        assertEquals(0, demo.expireOverdueRequests().expireOverdue());
        clock.advance(Duration.ofMinutes(15));
        assertEquals(1, demo.expireOverdueRequests().expireOverdue());
        assertEquals(OversightStatus.EXPIRED,
                demo.getOversightRequest().get(approver, p.request().id()).orElseThrow().status());
        assertEquals(TradeStatus.CANCELLED, demo.getTrade().get(trader, p.trade().id()).orElseThrow().status());
        assertEquals(0, portfolio().availableCash().amount().compareTo(new BigDecimal("100000")));
    }

    @Test
    void ownerCancelsAPendingTrade() {
        var p = assertInstanceOf(SubmitTradeResult.PendingApproval.class, buy("MSFT", "150", "400", null));
        var cancelled = assertInstanceOf(CancelTradeUseCase.Cancelled.class, demo.cancelTrade()
                .cancel(new CancelTradeUseCase.CancelTradeCommand(trader, p.trade().id(), Optional.of("changed my mind"))));
        assertEquals(TradeStatus.CANCELLED, cancelled.trade().status());
        assertEquals(OversightStatus.CANCELLED,
                demo.getOversightRequest().get(approver, p.request().id()).orElseThrow().status());
        assertEquals(0, portfolio().availableCash().amount().compareTo(new BigDecimal("100000")));
    }

    @Test
    void terminationCancelsOpenTradesAndIsFinal() {
        var p = assertInstanceOf(SubmitTradeResult.PendingApproval.class, buy("MSFT", "150", "400", null));
        var changed = assertInstanceOf(AgentStatusResult.Changed.class,
                demo.terminateAgent().terminate(new AgentCommand(trader, agent.id())));
        assertEquals(1, changed.cancelledTrades().size());
        assertEquals(TradeStatus.CANCELLED, demo.getTrade().get(trader, p.trade().id()).orElseThrow().status());
        assertInstanceOf(AgentStatusResult.Conflict.class, demo.resumeAgent().resume(new AgentCommand(trader, agent.id())));
        assertInstanceOf(SubmitTradeResult.AgentNotActive.class, buy("AAPL", "1", "150", null));
    }

    @Test
    void quotaExceededIsAnOutcomeWithResetAt() {
        // budget 100,000 = daily quota; the approval threshold would route big trades, so fill it in pieces
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(SubmitTradeResult.Executed.class, buy("AAPL", "100", "200", null)); // 20,000 each
            demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(), "AAPL", "sell", new BigDecimal("100"),
                    new BigDecimal("200"), "limit", null));
        }
        // 20k + 20k + 20k + 20k + 20k = 100,000 traded exactly (the third sell was refused): the next buy is over
        SubmitTradeResult r = buy("AAPL", "100", "200", null);
        SubmitTradeResult.QuotaExceeded q = assertInstanceOf(SubmitTradeResult.QuotaExceeded.class, r);
        assertEquals(Instant.parse("2026-03-03T00:00:00Z"), q.check().resetAt());
        assertTrue(seen.stream().anyMatch(e -> e.type().equals("quota:warning")));
    }

    @Test
    void aRepeatedClientOrderIdReturnsTheOriginalTrade() {
        var first = assertInstanceOf(SubmitTradeResult.Executed.class, buy("AAPL", "10", "150", "abc-1"));
        var again = assertInstanceOf(SubmitTradeResult.Executed.class, buy("AAPL", "10", "150", "abc-1"));
        assertTrue(again.replayed());
        assertEquals(first.trade().id(), again.trade().id());
        assertEquals(0, portfolio().cash().amount().compareTo(new BigDecimal("98500")));
        assertInstanceOf(SubmitTradeResult.IdempotencyConflict.class, buy("AAPL", "11", "150", "abc-1"));
    }

    @Test
    void anotherTradersAgentIsInvisible() {
        Actor other = Actor.owner(UserId.of("someone-else"));
        assertTrue(demo.getAgent().get(other, agent.id()).isEmpty());
        assertInstanceOf(SubmitTradeResult.AgentNotFound.class, demo.submitTrade().submit(SubmitTradeCommand.of(other,
                agent.id(), "AAPL", "buy", BigDecimal.ONE, new BigDecimal("150"), "limit", null)));
    }
}
