package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.port.contract.TestData.T0;
import static org.tradingdemo.domain.port.contract.TestData.agent;
import static org.tradingdemo.domain.port.contract.TestData.alert;
import static org.tradingdemo.domain.port.contract.TestData.request;
import static org.tradingdemo.domain.port.contract.TestData.trade;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.DuplicateClientOrderIdException;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.TradeRepository.TradeQuery;
import org.tradingdemo.domain.port.Transactions;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * What every {@link Transactions} must do together with the repositories that share it: commit
 * everything of a unit or nothing, let the unit read its own writes, hide them from other threads
 * until commit, and let nested calls join the outer unit. Subclass once per adapter.
 */
public abstract class AbstractTransactionsContract {

    /** A unit of work and repositories whose writes join it. */
    public record Fixture(Transactions transactions, AgentRepository agents, TradeRepository trades,
                             PortfolioRepository portfolios, OversightRequestRepository requests,
                             AlertRepository alerts, UsageLedger ledger) {
    }

    private static final long TIMEOUT_SECONDS = 10;

    protected Fixture store;
    protected Transactions tx;
    private ExecutorService otherThread;

    /** Fresh repositories over one store and its unit of work; the store may be shared with other tests. */
    protected abstract Fixture create();

    @BeforeEach
    void setUpStore() {
        store = create();
        tx = store.transactions();
        otherThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stopOtherThread() throws InterruptedException {
        otherThread.shutdownNow();
        assertTrue(otherThread.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void commitMakesEveryWriteOfTheUnitVisible() {
        Unit unit = new Unit();

        String result = tx.inTransaction(() -> {
            unit.writeAll();
            return "done";
        });

        assertEquals("done", result);
        unit.assertAllVisible();
    }

    @Test
    void anExceptionRollsBackEveryWriteOfTheUnitAndIsRethrown() {
        Unit unit = new Unit();
        Portfolio committedBefore = TestData.portfolio(unit.agent.id());
        store.portfolios().save(committedBefore);
        IllegalStateException boom = new IllegalStateException("boom");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tx.inTransaction(() -> {
            unit.writeAll();
            throw boom;
        }));

        assertSame(boom, thrown);
        unit.assertNoneVisible(Optional.of(committedBefore));
        assertTrue(store.ledger().append(unit.usage), "the rolled-back event id is free again");
    }

    @Test
    void runCommitsAndRollsBackLikeInTransaction() {
        Unit committed = new Unit();
        tx.run(committed::writeAll);
        committed.assertAllVisible();

        Unit rolledBack = new Unit();
        assertThrows(IllegalArgumentException.class, () -> tx.run(() -> {
            rolledBack.writeAll();
            throw new IllegalArgumentException("no");
        }));
        rolledBack.assertNoneVisible(Optional.empty());
    }

    @Test
    void theUnitReadsItsOwnWrites() {
        Unit unit = new Unit();
        long pendingBefore = store.requests().countPending();

        tx.run(() -> {
            unit.writeAll();
            unit.assertAllVisible();
            assertEquals(List.of(unit.trade), store.trades().list(TradeQuery.all(unit.agent.id(), PageRequest.first(10))).items());
            assertEquals(List.of(unit.trade), store.trades().findOpen(unit.agent.id()));
            assertEquals(List.of(unit.agent.id()), store.agents().idsOwnedBy(unit.agent.userId()));
            assertEquals(pendingBefore + 1, store.requests().countPending());
            assertFalse(store.ledger().append(unit.usage), "a duplicate of a staged record is refused");
            assertEquals(Money.usd("1500.00"), tradedVolume(unit));

            Trade executed = unit.trade.execute(T0.plusSeconds(1));
            store.trades().save(executed);
            assertEquals(Optional.of(executed), store.trades().findById(unit.trade.id()));
            assertEquals(List.of(), store.trades().findOpen(unit.agent.id()));
        });

        assertEquals(TradeStatus.EXECUTED, store.trades().findById(unit.trade.id()).orElseThrow().status());
        assertEquals(Money.usd("1500.00"), tradedVolume(unit));
    }

    @Test
    void nestedCallsJoinTheOuterUnit() {
        Unit outer = new Unit();
        Unit inner = new Unit();

        String result = tx.inTransaction(() -> {
            outer.writeAll();
            String fromInner = tx.inTransaction(() -> {
                inner.writeAll();
                outer.assertAllVisible();
                return "inner";
            });
            inner.assertAllVisible();
            return fromInner + "+outer";
        });

        assertEquals("inner+outer", result);
        outer.assertAllVisible();
        inner.assertAllVisible();
    }

    @Test
    void anExceptionInANestedCallRollsBackTheWholeUnit() {
        Unit outer = new Unit();
        Unit inner = new Unit();

        assertThrows(IllegalStateException.class, () -> tx.run(() -> {
            outer.writeAll();
            tx.run(() -> {
                inner.writeAll();
                throw new IllegalStateException("inner failed");
            });
        }));

        outer.assertNoneVisible(Optional.empty());
        inner.assertNoneVisible(Optional.empty());
    }

    @Test
    void anExceptionAfterANestedCallRollsBackTheNestedWritesToo() {
        Unit inner = new Unit();

        assertThrows(IllegalStateException.class, () -> tx.run(() -> {
            tx.run(inner::writeAll);
            throw new IllegalStateException("outer failed after the inner call returned");
        }));

        inner.assertNoneVisible(Optional.empty());
    }

    @Test
    void otherThreadsDoNotSeeStagedWritesUntilCommit() throws Exception {
        Unit unit = new Unit();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);

        Future<?> writer = otherThread.submit(() -> tx.run(() -> {
            unit.writeAll();
            written.countDown();
            await(checked);
        }));
        assertTrue(written.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        try {
            unit.assertNoneVisible(Optional.empty());
        } finally {
            checked.countDown();
        }
        writer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        unit.assertAllVisible();
    }

    @Test
    void aNestedCallDoesNotCommitOnItsOwn() throws Exception {
        Unit inner = new Unit();
        CountDownLatch innerReturned = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);

        Future<?> writer = otherThread.submit(() -> tx.run(() -> {
            tx.run(inner::writeAll);
            innerReturned.countDown();
            await(checked);
        }));
        assertTrue(innerReturned.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        try {
            inner.assertNoneVisible(Optional.empty());
        } finally {
            checked.countDown();
        }
        writer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        inner.assertAllVisible();
    }

    @Test
    void readersNeverSeeHalfACommit() throws Exception {
        AgentId agent = TestData.newAgentId();
        Money budget = Money.usd(100_000);
        int commits = 200;
        List<TradeId> ids = new ArrayList<>();
        for (int i = 0; i < commits; i++) {
            ids.add(TestData.newTradeId());
        }
        store.portfolios().save(Portfolio.open(agent, budget));

        Future<?> writer = otherThread.submit(() -> {
            for (int i = 0; i < commits; i++) {
                Trade t = trade().id(ids.get(i)).agentId(agent).buy("1", "1").status(TradeStatus.EXECUTED).build();
                tx.run(() -> {
                    store.trades().save(t);
                    Portfolio p = store.portfolios().findByAgentId(agent).orElseThrow();
                    store.portfolios().save(new Portfolio(agent, p.cash().minus(Money.usd(1)), p.positions(),
                            p.reservations(), p.realizedPnL()));
                });
            }
        });

        AtomicReference<String> torn = new AtomicReference<>();
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (seen < commits && System.nanoTime() < deadline && torn.get() == null) {
            if (store.trades().findById(ids.get(seen)).isPresent()) {
                Money cash = store.portfolios().findByAgentId(agent).orElseThrow().cash();
                Money mostAfterCommit = budget.minus(Money.usd(seen + 1));
                if (cash.isGreaterThan(mostAfterCommit)) {
                    torn.set("trade " + (seen + 1) + " visible but portfolio cash still " + cash);
                }
                seen++;
            }
        }
        writer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertNull(torn.get());
        assertEquals(budget.minus(Money.usd(commits)), store.portfolios().findByAgentId(agent).orElseThrow().cash());
    }

    @Test
    void concurrentUnitsWithTheSameClientOrderIdCommitOnlyOne() throws Exception {
        AgentId agent = TestData.newAgentId();
        String order = TestData.unique("co");
        Trade first = trade().agentId(agent).clientOrderId(order).build();
        Trade second = trade().agentId(agent).clientOrderId(order).build();
        CountDownLatch firstSaved = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        Future<?> firstUnit = otherThread.submit(() -> tx.run(() -> {
            store.trades().save(first);
            firstSaved.countDown();
            await(release);
        }));
        assertTrue(firstSaved.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        ExecutorService secondThread = Executors.newSingleThreadExecutor();
        List<Throwable> failures = new ArrayList<>();
        try {
            // Which unit wins depends on the store (a database blocks the second writer, memory does not).
            Future<?> secondUnit = secondThread.submit(() -> tx.run(() -> store.trades().save(second)));
            release.countDown();
            for (Future<?> unit : List.of(firstUnit, secondUnit)) {
                try {
                    unit.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
        } finally {
            secondThread.shutdownNow();
        }

        assertEquals(1, failures.size(), "exactly one unit commits: " + failures);
        assertTrue(failures.get(0) instanceof DuplicateClientOrderIdException, String.valueOf(failures.get(0)));
        Trade winner = store.trades().findByClientOrderId(agent, ClientOrderId.of(order)).orElseThrow();
        Trade loser = winner.id().equals(first.id()) ? second : first;
        assertEquals(Optional.empty(), store.trades().findById(loser.id()));
    }

    private Money tradedVolume(Unit unit) {
        Instant day = T0.truncatedTo(ChronoUnit.DAYS);
        return store.ledger().totals(unit.agent.id(), day, day.plus(Duration.ofDays(1)))
                .of(UsageType.TRADE_EXECUTED).amount();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the test thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One write to every repository, as a trade flow would make them: all fresh ids. */
    protected final class Unit {
        final Agent agent = agent().build();
        final Trade trade = trade().agentId(agent.id()).clientOrderId(TestData.unique("co")).build();
        final Portfolio portfolio = TestData.portfolio(agent.id())
                .apply(trade().agentId(agent.id()).buy("10", "150").status(TradeStatus.EXECUTED).build());
        final OversightRequest request = request().agentId(agent.id()).tradeId(trade.id()).build();
        final Alert alert = alert().agentId(agent.id()).build();
        final UsageRecord usage = TestData.volume(agent.id(), "1500.00", T0);

        void writeAll() {
            store.agents().save(agent);
            store.trades().save(trade);
            store.portfolios().save(portfolio);
            store.requests().save(request);
            store.alerts().save(alert);
            assertTrue(store.ledger().append(usage));
        }

        void assertAllVisible() {
            assertEquals(Optional.of(agent), store.agents().findById(agent.id()));
            assertEquals(Optional.of(trade), store.trades().findById(trade.id()));
            assertEquals(Optional.of(trade), store.trades().findByClientOrderId(agent.id(), trade.clientOrderId().orElseThrow()));
            assertEquals(Optional.of(portfolio), store.portfolios().findByAgentId(agent.id()));
            assertEquals(Optional.of(request), store.requests().findById(request.id()));
            assertEquals(Optional.of(request), store.requests().findByTradeId(trade.id()));
            assertEquals(Optional.of(alert), store.alerts().findById(alert.id()));
            assertEquals(Money.usd("1500.00"), tradedVolume(this));
        }

        void assertNoneVisible(Optional<Portfolio> previousPortfolio) {
            assertEquals(Optional.empty(), store.agents().findById(agent.id()));
            assertEquals(Optional.empty(), store.trades().findById(trade.id()));
            assertEquals(Optional.empty(), store.trades().findByClientOrderId(agent.id(), trade.clientOrderId().orElseThrow()));
            assertEquals(List.of(), store.trades().findOpen(agent.id()));
            assertEquals(previousPortfolio, store.portfolios().findByAgentId(agent.id()));
            assertEquals(Optional.empty(), store.requests().findById(request.id()));
            assertEquals(Optional.empty(), store.requests().findByTradeId(trade.id()));
            assertEquals(Optional.empty(), store.alerts().findById(alert.id()));
            assertEquals(UsageTotals.empty(), store.ledger().totals(agent.id(), T0.minusSeconds(1), T0.plusSeconds(1)));
            assertEquals(List.of(), store.agents().idsOwnedBy(agent.userId()));
        }
    }
}
