package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AAPL;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.DAY_END;
import static org.tradingdemo.app.service.ServiceTestData.DAY_START;
import static org.tradingdemo.app.service.ServiceTestData.LIMITS;
import static org.tradingdemo.app.service.ServiceTestData.MONTH_END;
import static org.tradingdemo.app.service.ServiceTestData.MONTH_START;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SETTINGS;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.executed;
import static org.tradingdemo.app.service.ServiceTestData.holding;
import static org.tradingdemo.app.service.ServiceTestData.needsApproval;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;
import static org.tradingdemo.app.service.ServiceTestData.portfolio;
import static org.tradingdemo.app.service.ServiceTestData.portfolioWithCash;
import static org.tradingdemo.app.service.ServiceTestData.quotaCheck;
import static org.tradingdemo.app.service.ServiceTestData.trade;
import static org.tradingdemo.app.service.ServiceTestData.tradeWithClientOrderId;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeResult.AgentNotActive;
import org.tradingdemo.app.port.in.SubmitTradeResult.AgentNotFound;
import org.tradingdemo.app.port.in.SubmitTradeResult.AlreadyProcessed;
import org.tradingdemo.app.port.in.SubmitTradeResult.DependencyUnavailable;
import org.tradingdemo.app.port.in.SubmitTradeResult.Executed;
import org.tradingdemo.app.port.in.SubmitTradeResult.IdempotencyConflict;
import org.tradingdemo.app.port.in.SubmitTradeResult.InsufficientFunds;
import org.tradingdemo.app.port.in.SubmitTradeResult.InsufficientPosition;
import org.tradingdemo.app.port.in.SubmitTradeResult.NoMarketPrice;
import org.tradingdemo.app.port.in.SubmitTradeResult.PendingApproval;
import org.tradingdemo.app.port.in.SubmitTradeResult.QuotaExceeded;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.domain.event.AlertRaised;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.event.OversightRequestCreated;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.event.QuotaWarning;
import org.tradingdemo.domain.event.TradeUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.MarketDataPort;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.Pending;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.UsageLedger;

@ExtendWith(MockitoExtension.class)
class SubmitTradeServiceTest {

    @Mock AgentRepository agents;
    @Mock TradeRepository trades;
    @Mock PortfolioRepository portfolios;
    @Mock OversightRequestRepository requests;
    @Mock UsageLedger ledger;
    @Mock AlertRepository alerts;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) QuotaPort quota;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) ApprovalPort approval;
    @Mock MarketDataPort marketData;
    @Mock EventPublisher events;
    @Mock NotificationPort notifier;
    @Mock Outbox outbox;
    @Mock IdGenerator ids;

    private final Journal journal = new Journal();
    private InlineTransactions tx;
    private SubmitTradeService service;

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        // the relay is real, over the mocked ports; its message ids come from their own generator so
        // `ids` still shows exactly which entity ids the use case drew
        OutboxRelay relay = new OutboxRelay(outbox, tx, quota, approval, notifier, trades, requests, agents, alerts,
                new SequentialIdGenerator("msg"), CLOCK);
        TradeSettlement settlement = new TradeSettlement(tx, trades, portfolios, requests, ledger, alerts, relay,
                approval, events, ids, CLOCK, SETTINGS.quotaPolicy());
        service = new SubmitTradeService(agents, trades, portfolios, requests, ledger, tx, quota, approval,
                marketData, events, relay, ids, CLOCK, new AgentLocks(), settlement, SETTINGS);
        journal.watch(trades, portfolios, requests, alerts, ledger, quota, approval, events, notifier, outbox);
    }

    // ---- commands and stubs -------------------------------------------------------------------

    private static SubmitTradeCommand limitOrder(Actor actor, Side side, String quantity, String price,
                                                 Optional<ClientOrderId> clientOrderId) {
        return new SubmitTradeCommand(actor, AGENT_ID, AAPL, side, Quantity.of(quantity),
                Optional.of(Price.of(price)), OrderType.LIMIT, clientOrderId);
    }

    private static SubmitTradeCommand buy(String quantity, String price) {
        return limitOrder(OWNER_ACTOR, Side.BUY, quantity, price, Optional.empty());
    }

    private void agentIs(Agent agent) {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent));
    }

    private void portfolioIs(Portfolio portfolio) {
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(portfolio));
    }

    private void quotaGrants(String reservationId) {
        when(quota.reserve(any())).thenReturn(new QuotaPort.Granted(reservationId, quotaCheck(true, "0", "100000")));
    }

    private void riskIs(RiskAssessment assessment) {
        when(approval.evaluate(any(), any(), any())).thenReturn(assessment);
    }

    private void ledgerHasExecuted(UsageTotals today, UsageTotals thisMonth) {
        when(ledger.totals(AGENT_ID, DAY_START, DAY_END)).thenReturn(today);
        when(ledger.totals(AGENT_ID, MONTH_START, MONTH_END)).thenReturn(thisMonth);
    }

    /** Everything up to the risk verdict goes through: a visible active agent, cash, quota granted. */
    private void readyToExecute() {
        agentIs(agent());
        portfolioIs(portfolio());
        when(ids.newId()).thenReturn("trade-1");
        quotaGrants("res-1");
        riskIs(RiskAssessment.autonomous(RiskLevel.LOW));
    }

    private List<DomainEvent> published() {
        ArgumentCaptor<DomainEvent> captor = ArgumentCaptor.forClass(DomainEvent.class);
        verify(events, org.mockito.Mockito.atLeast(0)).publish(captor.capture());
        return captor.getAllValues();
    }

    /** The waiting trade and its request, as the store returns them once the use case saved them. */
    private void storeServesWhatWasSaved() {
        when(trades.findById(TradeId.of("trade-1"))).thenAnswer(journal.saved());
        when(requests.findById(OversightRequestId.of("req-1"))).thenAnswer(journal.saved());
    }

    private List<OutboxMessage> appended() {
        ArgumentCaptor<OutboxMessage> captor = ArgumentCaptor.forClass(OutboxMessage.class);
        verify(outbox, org.mockito.Mockito.atLeast(0)).append(captor.capture());
        return captor.getAllValues();
    }

    private OutboxMessage savedToOutbox() {
        ArgumentCaptor<OutboxMessage> captor = ArgumentCaptor.forClass(OutboxMessage.class);
        verify(outbox).save(captor.capture());
        return captor.getValue();
    }

    /** Nothing was reserved, written or announced. */
    private void verifyNothingHappenedAfterTheChecks() {
        verifyNoInteractions(quota, approval, tx, events, notifier, outbox, requests, ledger, alerts);
        verify(trades, never()).save(any());
        verify(portfolios, never()).save(any());
    }

    // ---- autonomous path ----------------------------------------------------------------------

    @Nested
    class AutonomousPath {

        @Test
        void reservesThenEvaluatesThenExecutesInOneTransactionThenCompletesTheQuotaAndPublishes() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());

            SubmitTradeResult result = service.submit(buy("10", "150"));

            Trade expectedTrade = trade("trade-1", Side.BUY, "10", "150").execute(NOW);
            Portfolio expectedPortfolio = portfolio().apply(expectedTrade);
            assertEquals(new Executed(expectedTrade, expectedPortfolio, false), result);
            assertEquals(Money.usd("98500.00"), expectedPortfolio.cash());

            InOrder order = inOrder(agents, portfolios, quota, approval, tx);
            order.verify(agents).findById(AGENT_ID);
            order.verify(portfolios).findByAgentId(AGENT_ID);
            order.verify(quota).reserve(new QuotaPort.QuotaRequest(AGENT_ID, Money.usd("1500.00"), LIMITS, "trade-1"));
            order.verify(approval).evaluate(agent(), trade("trade-1", Side.BUY, "10", "150"), portfolio());
            order.verify(tx).inTransaction(any());
            // the completion is recorded in the outbox inside the transaction and delivered right after commit
            assertEquals(List.of("begin", "trades.save", "portfolios.save", "ledger.append",
                    "outbox.append quota.complete {reservationId=res-1}", "commit",
                    "quota.complete", "publish trade:update", "publish portfolio:update"), journal.entries());

            verify(trades).save(expectedTrade);
            verify(portfolios).save(expectedPortfolio);
            verify(ledger).append(UsageRecord.tradeExecuted(expectedTrade, NOW));
            verify(quota).complete("res-1");
            verify(quota, never()).release(any());
            assertEquals(List.of(new TradeUpdated(expectedTrade, NOW), new PortfolioUpdated(expectedPortfolio, NOW)),
                    published());
            OutboxMessage completion = appended().get(0);
            assertEquals(1, appended().size());
            assertEquals(OutboxRelay.QUOTA_COMPLETE, completion.kind());
            assertEquals("quota.complete:res-1", completion.idempotencyKey());
            assertEquals(Map.of("reservationId", "res-1"), completion.payload());
            assertEquals(0, completion.attempts());
            assertEquals(NOW.plus(OutboxRelay.IMMEDIATE_GRACE), completion.nextAttemptAt());
            assertFalse(completion.isDelivered());
            // the acknowledgement is batched: the trade path writes nothing more
            verify(outbox, never()).save(any());
            verify(tx, times(1)).inTransaction(any());
            verifyNoInteractions(requests, alerts, notifier, marketData);
        }

        @Test
        void anInProcessQuotaIsCompletedRightAfterCommitWithoutAnOutboxRow() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());
            when(quota.inProcess()).thenReturn(true);

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(TradeStatus.EXECUTED, ((Executed) result).trade().status());
            // the completion does not leave the process: nothing is written for it, it is made after commit
            assertEquals(List.of("begin", "trades.save", "portfolios.save", "ledger.append", "commit",
                    "quota.complete", "publish trade:update", "publish portfolio:update"), journal.entries());
            verify(quota).complete("res-1");
            verifyNoInteractions(outbox);
        }

        @Test
        void aSupervisorMaySubmitForAnyAgent() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());

            SubmitTradeResult result = service.submit(limitOrder(SUPERVISOR, Side.BUY, "10", "150", Optional.empty()));

            assertInstanceOf(Executed.class, result);
        }

        @Test
        void aSellOfHeldUnitsExecutesAndRealisesTheProfit() {
            agentIs(agent());
            portfolioIs(holding("10", "100"));
            when(ids.newId()).thenReturn("trade-1");
            quotaGrants("res-1");
            riskIs(RiskAssessment.autonomous(RiskLevel.LOW));
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());

            Executed result = assertInstanceOf(Executed.class,
                    service.submit(limitOrder(OWNER_ACTOR, Side.SELL, "4", "150", Optional.empty())));

            assertEquals(TradeStatus.EXECUTED, result.trade().status());
            assertEquals(Money.usd("200.00"), result.portfolio().realizedPnL());
            assertEquals(0, new BigDecimal("6").compareTo(result.portfolio().heldQuantity(AAPL)));
        }

        @Test
        void aMarketOrderWithoutPriceTakesTheMarketPrice() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());
            when(marketData.lastPrice(AAPL)).thenReturn(Optional.of(Price.of("151.25")));

            Executed result = assertInstanceOf(Executed.class, service.submit(new SubmitTradeCommand(OWNER_ACTOR,
                    AGENT_ID, AAPL, Side.BUY, Quantity.of("10"), Optional.empty(), OrderType.MARKET, Optional.empty())));

            assertEquals(Price.of("151.25"), result.trade().price());
            assertEquals(OrderType.MARKET, result.trade().type());
            verify(quota).reserve(new QuotaPort.QuotaRequest(AGENT_ID, Money.usd("1512.50"), LIMITS, "trade-1"));
        }

        @Test
        void aLimitOrderNeverAsksForTheMarketPrice() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());

            service.submit(buy("10", "150"));

            verifyNoInteractions(marketData);
        }

        @Test
        void aFailingSubscriberNeitherFailsTheTradeNorStopsTheOtherEvents() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());
            doThrow(new IllegalStateException("subscriber gone")).when(events).publish(any(TradeUpdated.class));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertInstanceOf(Executed.class, result);
            verify(events).publish(any(PortfolioUpdated.class));
            verify(quota).complete("res-1");
            verify(quota, never()).release(any());
        }

        @Test
        void aFailingQuotaCompletionAfterCommitDoesNotUndoTheTradeAndStaysInTheOutboxForARetry() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());
            doAnswer(inv -> {
                journal.add("quota.complete failed");
                throw new MeteringUnavailableException("down", Duration.ofSeconds(5), null);
            }).when(quota).complete("res-1");

            SubmitTradeResult result = service.submit(buy("10", "150"));

            Trade expectedTrade = trade("trade-1", Side.BUY, "10", "150").execute(NOW);
            assertEquals(new Executed(expectedTrade, portfolio().apply(expectedTrade), false), result);
            assertEquals(List.of("begin", "trades.save", "portfolios.save", "ledger.append",
                    "outbox.append quota.complete {reservationId=res-1}", "commit",
                    "quota.complete failed", "outbox.save quota.complete failed",
                    "publish trade:update", "publish portfolio:update"), journal.entries());
            // nothing is undone: one transaction, committed, and the reservation is not given back
            assertEquals(1, tx.commits());
            assertEquals(0, tx.rollbacks());
            verify(trades, times(1)).save(any());
            verify(quota, never()).release(any());
            assertEquals(2, published().size());
            // the message stays undelivered, counted as one attempt, due again after the first backoff
            OutboxMessage failed = savedToOutbox();
            assertEquals(appended().get(0).id(), failed.id());
            assertEquals(OutboxRelay.QUOTA_COMPLETE, failed.kind());
            assertEquals(Map.of("reservationId", "res-1"), failed.payload());
            assertFalse(failed.isDelivered());
            assertEquals(1, failed.attempts());
            assertEquals(NOW.plusSeconds(1), failed.nextAttemptAt());
            assertTrue(failed.nextAttemptAt().isAfter(NOW));
            assertTrue(failed.lastError().orElseThrow().contains("down"), failed.lastError().toString());
        }
    }

    // ---- quota warning ------------------------------------------------------------------------

    @Nested
    class QuotaWarnings {

        @Test
        void crossingEightyPercentOfTheDailyLimitSavesAnAlertInTheTransactionAndPublishesTheWarning() {
            readyToExecute();
            when(ids.newId()).thenReturn("trade-1", "alert-1");
            // 70,000 of 100,000 used today; this 15,000 trade lifts it to 85,000. The month stays far below.
            ledgerHasExecuted(executed(7, "70000"), executed(7, "70000"));

            Executed result = assertInstanceOf(Executed.class, service.submit(buy("100", "150")));

            ArgumentCaptor<Alert> alert = ArgumentCaptor.forClass(Alert.class);
            verify(alerts).save(alert.capture());
            assertEquals(AlertId.of("alert-1"), alert.getValue().id());
            assertEquals(AlertSeverity.WARNING, alert.getValue().severity());
            assertEquals("quota_warning", alert.getValue().type());
            assertEquals(Optional.of(AGENT_ID), alert.getValue().agentId());
            assertEquals(List.of("begin", "trades.save", "portfolios.save", "alerts.save", "ledger.append",
                    "outbox.append quota.complete {reservationId=res-1}", "commit",
                    "quota.complete", "publish trade:update", "publish portfolio:update", "publish quota:warning",
                    "publish alert:raised"), journal.entries());
            assertEquals(List.of(
                    new TradeUpdated(result.trade(), NOW),
                    new PortfolioUpdated(result.portfolio(), NOW),
                    new QuotaWarning(AGENT_ID, UsagePeriod.DAILY, Money.usd("85000.00"), Money.usd("100000.00"),
                            DAY_END, NOW),
                    new AlertRaised(alert.getValue(), NOW)), published());
        }

        @Test
        void noWarningWhenUsageWasAlreadyAboveTheMark() {
            readyToExecute();
            ledgerHasExecuted(executed(9, "85000"), executed(9, "85000"));

            service.submit(buy("10", "150"));

            verifyNoInteractions(alerts);
            assertTrue(published().stream().noneMatch(e -> e instanceof QuotaWarning || e instanceof AlertRaised));
            verify(ids, times(1)).newId();
        }

        @Test
        void noWarningWhenUsageStaysBelowTheMark() {
            readyToExecute();
            ledgerHasExecuted(executed(1, "10000"), executed(1, "10000"));

            service.submit(buy("100", "150"));

            verifyNoInteractions(alerts);
            assertEquals(2, published().size());
        }
    }

    // ---- approval path ------------------------------------------------------------------------

    @Nested
    class ApprovalPath {

        @Test
        void reservesCashAndOpensARequestInOneTransactionThenTellsOversightAndPublishes() {
            Agent agent = agent();
            agentIs(agent);
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1", "req-1");
            quotaGrants("res-1");
            riskIs(needsApproval());
            storeServesWhatWasSaved();

            PendingApproval result = assertInstanceOf(PendingApproval.class, service.submit(buy("10", "150")));

            Trade waiting = result.trade();
            OversightRequest request = result.request();
            assertFalse(result.replayed());
            assertEquals(TradeStatus.PENDING_APPROVAL, waiting.status());
            assertEquals(Optional.of("res-1"), waiting.quotaReservation());
            assertEquals(TradeId.of("trade-1"), request.tradeId());
            assertEquals(OversightStatus.PENDING, request.status());
            assertEquals(RiskLevel.HIGH, request.riskLevel());
            assertEquals(NOW.plus(Duration.ofMinutes(15)), request.expiresAt());

            ArgumentCaptor<Portfolio> saved = ArgumentCaptor.forClass(Portfolio.class);
            verify(portfolios).save(saved.capture());
            assertTrue(saved.getValue().holdsReservationFor(waiting.id()));
            assertEquals(Money.usd("100000.00"), saved.getValue().cash());
            assertEquals(Money.usd("98500.00"), saved.getValue().availableCash());
            verify(trades).save(waiting);
            verify(requests).save(request);
            verify(ledger).append(UsageRecord.oversightRequested(request));

            // both effects are outbox rows of the transaction, delivered in order right after commit
            // (the message to humans now goes out with them, before the events)
            assertEquals(List.of("begin", "trades.save", "portfolios.save", "requests.save", "ledger.append",
                    "outbox.append approval.submit {requestId=req-1}",
                    "outbox.append notify.approval_needed {requestId=req-1}", "commit",
                    "approval.submit", "notify ApprovalNeeded", "publish trade:update", "publish portfolio:update",
                    "publish oversight:request_created"), journal.entries());
            assertEquals(List.of("approval.submit:req-1", "notify.approval_needed:req-1"),
                    appended().stream().map(OutboxMessage::idempotencyKey).toList());
            verify(outbox, never()).save(any());
            verify(approval).submit(request, waiting);
            verify(notifier).send(new Notification.ApprovalNeeded(request, waiting, agent));
            assertEquals(List.of(new TradeUpdated(waiting, NOW), new PortfolioUpdated(saved.getValue(), NOW),
                    new OversightRequestCreated(request, waiting, NOW)), published());

            // the reservation stays open until a human decides; no volume is counted yet
            verify(quota, never()).complete(any());
            verify(quota, never()).release(any());
            verify(ledger, never()).totals(any(), any(), any());
            verifyNoInteractions(alerts);
        }

        @Test
        void aFailingWriteRollsBackReleasesTheQuotaAndTellsNobody() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1", "req-1");
            quotaGrants("res-1");
            riskIs(needsApproval());
            IllegalStateException failure = new IllegalStateException("database is locked");
            doThrow(failure).when(requests).save(any());

            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> service.submit(buy("10", "150")));

            assertSame(failure, thrown);
            assertEquals(List.of("begin", "trades.save", "portfolios.save", "rollback", "quota.release"),
                    journal.entries());
            verify(quota).release("res-1");
            verify(quota, never()).complete(any());
            verify(approval, never()).submit(any(), any());
            verifyNoInteractions(events, notifier, outbox);
        }

        @Test
        void anUnreachableOversightServiceAfterCommitDoesNotFailTheSubmission() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1", "req-1");
            quotaGrants("res-1");
            riskIs(needsApproval());
            doThrow(new OversightUnavailableException("timeout", Duration.ofSeconds(3), null))
                    .when(approval).submit(any(), any());
            storeServesWhatWasSaved();

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertInstanceOf(PendingApproval.class, result);
            verify(quota, never()).release(any());
            assertEquals(3, published().size());
            verify(notifier).send(any(Notification.ApprovalNeeded.class));
            // the report to oversight stays in the outbox for a retry; the message to humans went out
            OutboxMessage failed = savedToOutbox();
            assertEquals(OutboxRelay.APPROVAL_SUBMIT, failed.kind());
            assertEquals(1, failed.attempts());
            assertEquals(NOW.plusSeconds(1), failed.nextAttemptAt());
            assertFalse(failed.isDelivered());
        }
    }

    // ---- refusals before anything is reserved -------------------------------------------------

    @Nested
    class Refusals {

        @Test
        void unknownAgentIsNotFoundAndNothingElseIsAsked() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.empty());

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(new AgentNotFound(), result);
            verifyNothingHappenedAfterTheChecks();
            verifyNoInteractions(trades, portfolios, marketData, ids);
        }

        @Test
        void anotherTradersAgentIsNotFoundEvenForAKnownClientOrderId() {
            agentIs(agent());

            SubmitTradeResult result = service.submit(limitOrder(STRANGER_ACTOR, Side.BUY, "10", "150",
                    Optional.of(ClientOrderId.of("order-1"))));

            assertEquals(new AgentNotFound(), result);
            verifyNothingHappenedAfterTheChecks();
            // the stranger must not learn whether the owner used this client order id
            verifyNoInteractions(trades, portfolios, marketData, ids);
        }

        @Test
        void aSuspendedAgentMayNotTrade() {
            agentIs(agent().suspend(NOW));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(new AgentNotActive(AgentStatus.SUSPENDED), result);
            verifyNothingHappenedAfterTheChecks();
            verifyNoInteractions(portfolios, ids);
        }

        @Test
        void aTerminatedAgentMayNotTrade() {
            agentIs(agent().terminate(NOW));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(new AgentNotActive(AgentStatus.TERMINATED), result);
            verifyNothingHappenedAfterTheChecks();
        }

        @Test
        void aMarketOrderWithoutAMarketPriceIsRefused() {
            agentIs(agent());
            when(marketData.lastPrice(AAPL)).thenReturn(Optional.empty());

            SubmitTradeResult result = service.submit(new SubmitTradeCommand(OWNER_ACTOR, AGENT_ID, AAPL, Side.BUY,
                    Quantity.of("10"), Optional.empty(), OrderType.MARKET, Optional.empty()));

            assertEquals(new NoMarketPrice("AAPL"), result);
            verifyNothingHappenedAfterTheChecks();
            verifyNoInteractions(ids, portfolios);
        }

        @Test
        void aBuyBeyondTheAvailableCashIsInsufficientFunds() {
            agentIs(agent());
            portfolioIs(portfolioWithCash("1000"));
            when(ids.newId()).thenReturn("trade-1");

            SubmitTradeResult result = service.submit(buy("10", "150"));

            InsufficientFunds refusal = assertInstanceOf(InsufficientFunds.class, result);
            assertEquals(0, new BigDecimal("1500").compareTo(refusal.required()));
            assertEquals(0, new BigDecimal("1000").compareTo(refusal.available()));
            verifyNothingHappenedAfterTheChecks();
        }

        @Test
        void cashReservedForTradesAwaitingApprovalIsNotAvailable() {
            agentIs(agent());
            // 100,000 cash of which 99,000 is held for a trade awaiting approval
            portfolioIs(portfolio().reserve(trade("waiting-1", Side.BUY, "990", "100")));
            when(ids.newId()).thenReturn("trade-1");

            SubmitTradeResult result = service.submit(buy("10", "150"));

            InsufficientFunds refusal = assertInstanceOf(InsufficientFunds.class, result);
            assertEquals(0, new BigDecimal("1000").compareTo(refusal.available()));
            verifyNothingHappenedAfterTheChecks();
        }

        @Test
        void aSellOfMoreThanIsHeldIsInsufficientPosition() {
            agentIs(agent());
            portfolioIs(holding("2", "100"));
            when(ids.newId()).thenReturn("trade-1");

            SubmitTradeResult result = service.submit(limitOrder(OWNER_ACTOR, Side.SELL, "5", "150", Optional.empty()));

            InsufficientPosition refusal = assertInstanceOf(InsufficientPosition.class, result);
            assertEquals("AAPL", refusal.symbol());
            assertEquals(0, new BigDecimal("5").compareTo(refusal.requested()));
            assertEquals(0, new BigDecimal("2").compareTo(refusal.available()));
            verifyNothingHappenedAfterTheChecks();
        }

        @Test
        void aSellWithoutAnyPositionIsInsufficientPosition() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1");

            SubmitTradeResult result = service.submit(limitOrder(OWNER_ACTOR, Side.SELL, "1", "150", Optional.empty()));

            InsufficientPosition refusal = assertInstanceOf(InsufficientPosition.class, result);
            assertEquals(0, BigDecimal.ZERO.compareTo(refusal.available()));
            verifyNothingHappenedAfterTheChecks();
        }
    }

    // ---- quota and dependencies ---------------------------------------------------------------

    @Nested
    class QuotaAndDependencies {

        @Test
        void aDeniedReservationIsQuotaExceededAndNothingIsCreated() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1");
            QuotaCheck denied = quotaCheck(false, "99000", "100000");
            when(quota.reserve(any())).thenReturn(new QuotaPort.Denied(denied));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(new QuotaExceeded(denied), result);
            verify(approval, never()).evaluate(any(), any(), any());
            verify(quota, never()).release(any());
            verify(quota, never()).complete(any());
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
        }

        @Test
        void unreachableMeteringFailsClosedAndNothingIsCreated() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1");
            when(quota.reserve(any())).thenThrow(new MeteringUnavailableException("timeout", Duration.ofSeconds(30), null));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(new DependencyUnavailable("metering", Duration.ofSeconds(30)), result);
            verify(approval, never()).evaluate(any(), any(), any());
            verify(quota, never()).release(any());
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
        }

        @Test
        void unreachableOversightReleasesTheReservationOnceAndCreatesNothing() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1");
            quotaGrants("res-1");
            when(approval.evaluate(any(), any(), any()))
                    .thenThrow(new OversightUnavailableException("timeout", Duration.ofSeconds(10), null));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertEquals(new DependencyUnavailable("oversight", Duration.ofSeconds(10)), result);
            verify(quota, times(1)).release("res-1");
            verify(quota, never()).complete(any());
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
            verify(portfolios, never()).save(any());
        }

        @Test
        void aRepositoryFailureInsideTheTransactionReleasesTheQuotaAndPropagates() {
            readyToExecute();
            IllegalStateException failure = new IllegalStateException("disk full");
            doThrow(failure).when(portfolios).save(any());

            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> service.submit(buy("10", "150")));

            assertSame(failure, thrown);
            assertEquals(List.of("begin", "trades.save", "rollback", "quota.release"), journal.entries());
            verify(quota).release("res-1");
            verify(quota, never()).complete(any());
            verifyNoInteractions(events, notifier, outbox);
            verify(ledger, never()).append(any());
        }
    }

    // ---- reservation and verdict asked for together -----------------------------------------

    /**
     * With remote services the reservation and the risk verdict are both started before either is
     * awaited, so the request thread waits once; the outcomes stay those of the one-after-the-other
     * flow. The ports' {@code start*} methods are stubbed with answers that note when they are awaited.
     */
    @Nested
    class ReservationAndVerdictTogether {

        private final List<String> awaited = new java.util.concurrent.CopyOnWriteArrayList<>();

        private <T> Pending<T> answersWith(String label, T answer) {
            return () -> {
                awaited.add(label);
                return answer;
            };
        }

        private <T> Pending<T> failsWith(String label, RuntimeException failure) {
            return () -> {
                awaited.add(label);
                throw failure;
            };
        }

        private void reservationStarts(Pending<QuotaPort.QuotaDecision> answer) {
            when(quota.startReserve(any())).thenReturn(answer);
        }

        private void verdictStarts(Pending<RiskAssessment> answer) {
            when(approval.startEvaluate(any(), any(), any())).thenReturn(answer);
        }

        private void agentCanTrade() {
            agentIs(agent());
            portfolioIs(portfolio());
            when(ids.newId()).thenReturn("trade-1");
        }

        @Test
        void bothAreStartedBeforeEitherIsAwaitedThenTheReservationIsAwaitedFirst() {
            agentCanTrade();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());
            reservationStarts(answersWith("reservation", new QuotaPort.Granted("res-1", quotaCheck(true, "0", "100000"))));
            verdictStarts(answersWith("verdict", RiskAssessment.autonomous(RiskLevel.LOW)));

            SubmitTradeResult result = service.submit(buy("10", "150"));

            assertInstanceOf(Executed.class, result);
            InOrder order = inOrder(quota, approval, tx);
            order.verify(quota).startReserve(new QuotaPort.QuotaRequest(AGENT_ID, Money.usd("1500.00"), LIMITS, "trade-1"));
            order.verify(approval).startEvaluate(agent(), trade("trade-1", Side.BUY, "10", "150"), portfolio());
            order.verify(tx).inTransaction(any());
            assertEquals(List.of("reservation", "verdict"), awaited);
            verify(quota, never()).reserve(any());
            verify(approval, never()).evaluate(any(), any(), any());
        }

        @Test
        void aDeniedReservationNeverWaitsForTheVerdictAndCreatesNothing() {
            agentCanTrade();
            QuotaCheck denied = quotaCheck(false, "99000", "100000");
            reservationStarts(answersWith("reservation", new QuotaPort.Denied(denied)));
            verdictStarts(answersWith("verdict", RiskAssessment.autonomous(RiskLevel.LOW)));

            assertEquals(new QuotaExceeded(denied), service.submit(buy("10", "150")));

            assertEquals(List.of("reservation"), awaited);
            verify(quota, never()).release(any());
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
        }

        @Test
        void meteringUnavailableWhenAwaitedIs503MeteringWithNothingCreatedAndNothingToRelease() {
            agentCanTrade();
            reservationStarts(failsWith("reservation", new MeteringUnavailableException("down", Duration.ofSeconds(2), null)));
            verdictStarts(answersWith("verdict", RiskAssessment.autonomous(RiskLevel.LOW)));

            assertEquals(new DependencyUnavailable("metering", Duration.ofSeconds(2)), service.submit(buy("10", "150")));

            assertEquals(List.of("reservation"), awaited, "the verdict is not waited for");
            verify(quota, never()).release(any());
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
        }

        @Test
        void meteringUnavailableWhenStartingIs503MeteringAndOversightIsNotAsked() {
            agentCanTrade();
            when(quota.startReserve(any())).thenThrow(new MeteringUnavailableException("closed", Duration.ofSeconds(2), null));

            assertEquals(new DependencyUnavailable("metering", Duration.ofSeconds(2)), service.submit(buy("10", "150")));

            verifyNoInteractions(approval, tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
        }

        @Test
        void oversightUnavailableWhenAwaitedReleasesTheGrantedReservationOnce() {
            agentCanTrade();
            reservationStarts(answersWith("reservation", new QuotaPort.Granted("res-1", quotaCheck(true, "0", "100000"))));
            verdictStarts(failsWith("verdict", new OversightUnavailableException("down", Duration.ofSeconds(10), null)));

            assertEquals(new DependencyUnavailable("oversight", Duration.ofSeconds(10)), service.submit(buy("10", "150")));

            assertEquals(List.of("reservation", "verdict"), awaited);
            verify(quota, times(1)).release("res-1");
            verify(quota, never()).complete(any());
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
            verify(trades, never()).save(any());
        }

        @Test
        void aVerdictThatCannotEvenBeStartedReleasesTheReservationAndPropagates() {
            agentCanTrade();
            reservationStarts(answersWith("reservation", new QuotaPort.Granted("res-1", quotaCheck(true, "0", "100000"))));
            IllegalStateException bug = new IllegalStateException("client closed");
            when(approval.startEvaluate(any(), any(), any())).thenThrow(bug);

            assertSame(bug, assertThrows(IllegalStateException.class, () -> service.submit(buy("10", "150"))));

            verify(quota, times(1)).release("res-1");
            verifyNoInteractions(tx, events, notifier, outbox, requests, ledger, alerts);
        }
    }

    // ---- idempotency --------------------------------------------------------------------------

    @Nested
    class Idempotency {

        private final ClientOrderId orderId = ClientOrderId.of("order-1");

        private SubmitTradeCommand repeat(String quantity) {
            return limitOrder(OWNER_ACTOR, Side.BUY, quantity, "150", Optional.of(orderId));
        }

        private void originalIs(Trade original) {
            when(trades.findByClientOrderId(AGENT_ID, orderId)).thenReturn(Optional.of(original));
        }

        /** A replay answers from the store: no reservation, no id, no write, no event. */
        private void verifyNothingRanAgain() {
            verifyNoInteractions(quota, approval, tx, events, notifier, outbox, ledger, alerts, ids, marketData);
            verify(trades, never()).save(any());
            verify(portfolios, never()).save(any());
        }

        @Test
        void aFirstSubmissionWithAClientOrderIdRunsTheNormalFlowAndKeepsTheId() {
            readyToExecute();
            ledgerHasExecuted(UsageTotals.empty(), UsageTotals.empty());
            when(trades.findByClientOrderId(AGENT_ID, orderId)).thenReturn(Optional.empty());

            Executed result = assertInstanceOf(Executed.class, service.submit(repeat("10")));

            assertEquals(Optional.of(orderId), result.trade().clientOrderId());
            assertFalse(result.replayed());
        }

        @Test
        void anExecutedOriginalIsReturnedAsReplayedWithoutExecutingAgain() {
            agentIs(agent());
            Trade original = tradeWithClientOrderId("trade-0", "order-1", Side.BUY, "10", "150").execute(NOW);
            originalIs(original);
            Portfolio current = portfolio().apply(original);
            portfolioIs(current);

            SubmitTradeResult result = service.submit(repeat("10"));

            assertEquals(new Executed(original, current, true), result);
            verifyNothingRanAgain();
        }

        @Test
        void aReplayIsAnsweredEvenAfterTheAgentWasSuspended() {
            agentIs(agent().suspend(NOW));
            Trade original = tradeWithClientOrderId("trade-0", "order-1", Side.BUY, "10", "150").execute(NOW);
            originalIs(original);
            portfolioIs(portfolio().apply(original));

            Executed result = assertInstanceOf(Executed.class, service.submit(repeat("10")));

            assertTrue(result.replayed());
            verifyNothingRanAgain();
        }

        @Test
        void aPendingOriginalIsReturnedWithItsRequest() {
            agentIs(agent());
            Trade original = tradeWithClientOrderId("trade-0", "order-1", Side.BUY, "10", "150").awaitApproval("res-0");
            originalIs(original);
            OversightRequest request = pendingRequest("req-0", original);
            when(requests.findByTradeId(original.id())).thenReturn(Optional.of(request));

            SubmitTradeResult result = service.submit(repeat("10"));

            assertEquals(new PendingApproval(original, request, true), result);
            verifyNothingRanAgain();
            verify(requests, never()).save(any());
        }

        @Test
        void aRejectedOriginalIsAlreadyProcessed() {
            agentIs(agent());
            Trade original = tradeWithClientOrderId("trade-0", "order-1", Side.BUY, "10", "150")
                    .awaitApproval("res-0").reject("too risky", NOW);
            originalIs(original);

            SubmitTradeResult result = service.submit(repeat("10"));

            assertEquals(new AlreadyProcessed(original), result);
            verifyNothingRanAgain();
        }

        @Test
        void aDifferentOrderUnderTheSameClientOrderIdIsAConflict() {
            agentIs(agent());
            Trade original = tradeWithClientOrderId("trade-0", "order-1", Side.BUY, "10", "150").execute(NOW);
            originalIs(original);

            SubmitTradeResult result = service.submit(repeat("20"));

            assertEquals(new IdempotencyConflict(original), result);
            verifyNothingRanAgain();
            verifyNoInteractions(portfolios);
        }

        @Test
        void aDifferentPriceUnderTheSameClientOrderIdIsAConflict() {
            agentIs(agent());
            Trade original = tradeWithClientOrderId("trade-0", "order-1", Side.BUY, "10", "150").execute(NOW);
            originalIs(original);

            SubmitTradeResult result = service.submit(
                    limitOrder(OWNER_ACTOR, Side.BUY, "10", "151", Optional.of(orderId)));

            assertEquals(new IdempotencyConflict(original), result);
            verifyNothingRanAgain();
        }
    }

    // ---- validation that only the trade can do ------------------------------------------------

    @Test
    void anOrderWhoseAmountRoundsToZeroIsAValidationErrorBeforeAnythingIsReserved() {
        agentIs(agent());
        when(ids.newId()).thenReturn("trade-1");
        when(marketData.lastPrice(AAPL)).thenReturn(Optional.of(Price.of("0.001")));

        assertThrows(org.tradingdemo.app.port.in.ValidationException.class,
                () -> service.submit(new SubmitTradeCommand(OWNER_ACTOR, AGENT_ID, AAPL, Side.BUY, Quantity.of("1"),
                        Optional.empty(), OrderType.MARKET, Optional.empty())));

        verifyNothingHappenedAfterTheChecks();
    }
}
