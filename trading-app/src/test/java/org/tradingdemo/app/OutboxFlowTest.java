package org.tradingdemo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tradingdemo.app.local.LocalQuota;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.app.service.OutboxRelay;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.QuotaPort;

/**
 * The transactional outbox through the public entry point, on the in-memory store and the local
 * quota, with metering that refuses the first completions: trades still execute, the reservations
 * stay open until the background pass retries after the backoff, then each is completed exactly once
 * and the ledger counts every trade once.
 */
class OutboxFlowTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final Actor trader = Actor.owner(UserId.of("trader"));
    private final Actor approver = Actor.supervisor(UserId.of("approver"));
    private final TradingStore store = TradingStore.inMemory();
    private final LocalQuota local = new LocalQuota(store.usageLedger(), clock);
    private TradingDemo demo;
    private OutboxRelay relay;
    private Agent agent;

    /** Metering whose first {@code failures} completions fail; counts the completions that got through. */
    static final class FlakyQuota implements QuotaPort {
        private final QuotaPort delegate;
        private final AtomicInteger failuresLeft;
        final AtomicInteger refused = new AtomicInteger();
        final List<String> granted = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();

        FlakyQuota(QuotaPort delegate, int failures) {
            this.delegate = delegate;
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public QuotaDecision reserve(QuotaRequest request) {
            QuotaDecision decision = delegate.reserve(request);
            if (decision instanceof Granted g) {
                granted.add(g.reservationId());
            }
            return decision;
        }

        @Override
        public void complete(String reservationId) {
            if (failuresLeft.getAndDecrement() > 0) {
                refused.incrementAndGet();
                throw new MeteringUnavailableException("metering timed out", Duration.ofSeconds(1), null);
            }
            completed.computeIfAbsent(reservationId, r -> new AtomicInteger()).incrementAndGet();
            delegate.complete(reservationId);
        }

        @Override
        public void release(String reservationId) {
            delegate.release(reservationId);
        }

        @Override
        public QuotaCheck status(AgentId agentId, QuotaLimits limits, UsagePeriod period) {
            return delegate.status(agentId, limits, period);
        }
    }

    private FlakyQuota quota;

    private void start(int failingCompletions) {
        quota = new FlakyQuota(local, failingCompletions);
        demo = TradingDemo.builder(clock).store(store).quota(quota).build();
        relay = demo.outboxRelay();
        agent = demo.createAgent().create(CreateAgentCommand.of(trader, "Alpha", new BigDecimal("100000"), "balanced",
                "medium", null));
    }

    private SubmitTradeResult buy(String qty, String price) {
        return demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(), "AAPL", "buy", new BigDecimal(qty),
                new BigDecimal(price), "limit", null));
    }

    private UsageTotals.Total executedToday() {
        UsagePeriod.Window day = UsagePeriod.DAILY.windowAt(clock.instant());
        return store.usageLedger().totals(agent.id(), day.start(), day.end()).of(UsageType.TRADE_EXECUTED);
    }

    private BigDecimal quotaUsedToday() {
        return demo.getAgentUsage().usage(trader, agent.id(), UsagePeriod.DAILY).orElseThrow().used().amount();
    }

    @Test
    void tradesExecuteWhileMeteringRefusesAndTheRetryCompletesEachReservationOnce() {
        start(2);

        for (int i = 0; i < 2; i++) {
            SubmitTradeResult.Executed executed = assertInstanceOf(SubmitTradeResult.Executed.class, buy("10", "150"));
            assertEquals(TradeStatus.EXECUTED, executed.trade().status());
        }
        List<String> reservations = List.copyOf(quota.granted);
        assertEquals(2, reservations.size());

        // executed and booked, but metering has not been told: both reservations are still open
        assertEquals(2, quota.refused.get());
        assertEquals(2, local.openReservations());
        assertEquals(2, store.outbox().countPending());
        assertEquals(new UsageTotals.Total(2, Money.usd("3000.00")), executedToday());
        assertEquals(0, new BigDecimal("6000").compareTo(quotaUsedToday()),
                "meanwhile the local quota counts the volume twice (ledger + open reservation): it errs on the safe side");

        // the background pass before the first backoff (1 s) has passed retries nothing
        clock.advance(Duration.ofMillis(999));
        assertEquals(0, relay.runOnce());
        assertEquals(2, local.openReservations());

        clock.advance(Duration.ofMillis(1));
        assertEquals(2, relay.runOnce());

        assertEquals(0, local.openReservations());
        assertEquals(0, store.outbox().countPending());
        for (String r : reservations) {
            assertEquals(1, quota.completed.get(r).get(), "reservation " + r + " completed exactly once");
        }
        assertEquals(new UsageTotals.Total(2, Money.usd("3000.00")), executedToday(), "each trade counted once");
        assertEquals(0, new BigDecimal("3000").compareTo(quotaUsedToday()));

        // nothing is delivered again later
        clock.advance(Duration.ofHours(1));
        assertEquals(0, relay.runOnce());
        reservations.forEach(r -> assertEquals(1, quota.completed.get(r).get()));
        assertEquals(2, quota.completed.size());
    }

    @Test
    void onceMeteringIsBackTheImmediateAttemptCompletesAndNothingIsLeftForTheBackground() {
        start(1);
        assertInstanceOf(SubmitTradeResult.Executed.class, buy("10", "150"));
        assertEquals(1, local.openReservations());

        assertInstanceOf(SubmitTradeResult.Executed.class, buy("5", "100"));

        assertEquals(1, local.openReservations(), "the second trade's reservation was completed at once");
        assertEquals(1, quota.completed.get(quota.granted.get(1)).get());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, relay.runOnce(), "only the first trade's completion was left to retry");
        assertEquals(0, local.openReservations());
        assertEquals(0, store.outbox().countPending());
        assertEquals(new UsageTotals.Total(2, Money.usd("2000.00")), executedToday());
    }

    @Test
    void anApprovedTradeExecutesAndItsCompletionIsRetriedToo() {
        start(1);
        SubmitTradeResult.PendingApproval pending = assertInstanceOf(SubmitTradeResult.PendingApproval.class,
                buy("150", "400"));
        assertEquals(1, local.openReservations());

        var approved = assertInstanceOf(DecideOversightRequestUseCase.Approved.class, demo.decideOversightRequest()
                .decide(new DecideCommand(approver, pending.request().id(), Decision.APPROVE, Optional.empty())));

        assertEquals(TradeStatus.EXECUTED, approved.trade().status());
        assertEquals(1, local.openReservations(), "the completion failed after commit");
        assertEquals(new UsageTotals.Total(1, Money.usd("60000.00")), executedToday());

        clock.advance(Duration.ofSeconds(1));
        relay.runOnce();

        assertEquals(0, local.openReservations());
        assertEquals(1, quota.completed.get(pending.trade().quotaReservation().orElseThrow()).get());
        assertEquals(new UsageTotals.Total(1, Money.usd("60000.00")), executedToday());
        assertEquals(0, store.outbox().countPending(), "approval report and message delivered, completion retried");
    }
}
