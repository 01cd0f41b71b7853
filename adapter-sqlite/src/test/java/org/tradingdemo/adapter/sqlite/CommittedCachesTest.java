package org.tradingdemo.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.contract.TestData;

/**
 * The in-memory copies of committed portfolios and of committed day/month usage totals: updated by
 * commit hooks with what a committed unit wrote, never by a unit that rolled back, and inside a
 * batch never used for an agent an earlier unit of the same transaction changed.
 */
class CommittedCachesTest {

    private static final long WAIT_SECONDS = 10;
    private static final Instant NOON = Instant.parse("2032-02-10T12:00:00Z");
    private static final Instant DAY_START = Instant.parse("2032-02-10T00:00:00Z");
    private static final Instant DAY_END = Instant.parse("2032-02-11T00:00:00Z");
    private static final Instant MONTH_START = Instant.parse("2032-02-01T00:00:00Z");
    private static final Instant MONTH_END = Instant.parse("2032-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("caches.db"), SqliteOptions.defaults().withSynchronous(SqliteOptions.Synchronous.NORMAL));
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        store.close();
    }

    // ------------------------------------------------------------------ portfolios

    @Test
    void aBatchSeesItsEarlierUnitsPortfolioNotTheCachedOneNorARolledBackOne() throws Exception {
        AgentId id = TestData.newAgentId();
        Portfolio p0 = Portfolio.open(id, Money.usd(100));
        Portfolio p1 = Portfolio.open(id, Money.usd(111));
        Portfolio rolledBack = Portfolio.open(id, Money.usd(999));
        store.portfolios().save(p0);
        assertEquals(p0, store.portfolios().findByAgentId(id).orElseThrow()); // cached now

        Blocker blocker = blockWriter();
        Future<?> first = pool.submit(() -> store.transactions().run(() -> store.portfolios().save(p1)));
        awaitQueued(1);
        Future<?> failing = pool.submit(() -> store.transactions().run(() -> {
            store.portfolios().save(rolledBack);
            assertEquals(rolledBack, store.portfolios().findByAgentId(id).orElseThrow(), "the unit reads its own save");
            throw new IllegalStateException("boom");
        }));
        awaitQueued(2);
        Future<Portfolio> reader = pool.submit(() -> store.transactions().inTransaction(
                () -> store.portfolios().findByAgentId(id).orElseThrow()));
        awaitQueued(3);
        long commitsBefore = store.writerStats().commits();
        blocker.release();

        first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThrows(ExecutionException.class, () -> failing.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(p1, reader.get(WAIT_SECONDS, TimeUnit.SECONDS),
                "inside the batch: the first unit's save, not the cached p0 nor the rolled-back one");
        assertEquals(2, store.writerStats().commits() - commitsBefore, "the blocker's COMMIT, then one for the three units");
        assertEquals(p1, store.portfolios().findByAgentId(id).orElseThrow(), "outside: the committed save");
        assertEquals(p1, fromSqlite(id));
    }

    @Test
    void aRolledBackSaveNeverReachesTheCacheAndTheNextCommitDoes() {
        AgentId id = TestData.newAgentId();
        Portfolio busy = TestData.busyPortfolio(id);
        store.portfolios().save(busy);
        assertEquals(busy, store.portfolios().findByAgentId(id).orElseThrow());

        assertThrows(IllegalStateException.class, () -> store.transactions().run(() -> {
            store.portfolios().save(Portfolio.open(id, Money.usd(1)));
            throw new IllegalStateException("boom");
        }));
        assertEquals(busy, store.portfolios().findByAgentId(id).orElseThrow());

        // the next save compares against the committed portfolio (not the rolled-back one): all rows right
        Portfolio next = busy.release(busy.reservations().keySet().iterator().next());
        store.portfolios().save(next);
        assertEquals(next, store.portfolios().findByAgentId(id).orElseThrow());
        assertEquals(next, fromSqlite(id), "what SQLite holds is the saved portfolio, row for row");
    }

    @Test
    void readersRacingAWriterNeverLeaveAnOlderPortfolioInTheCache() throws Exception {
        AgentId id = TestData.newAgentId();
        store.portfolios().save(Portfolio.open(id, Money.usd(0)));
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(pool.submit(() -> {
                while (!stop.get()) {
                    store.portfolios().findByAgentId(id);
                }
            }));
        }
        try {
            for (int v = 1; v <= 300; v++) {
                store.portfolios().save(Portfolio.open(id, Money.usd(v)));
                // once save returned, every later read sees this version or a newer one
                assertEquals(Money.usd(v), store.portfolios().findByAgentId(id).orElseThrow().cash());
            }
        } finally {
            stop.set(true);
            for (Future<?> r : readers) {
                r.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** The portfolio as SQLite holds it: read by a reopened store, whose caches start empty. */
    private Portfolio fromSqlite(AgentId id) {
        store.close();
        store = SqliteStore.open(dir.resolve("caches.db"), SqliteOptions.defaults());
        return store.portfolios().findByAgentId(id).orElseThrow();
    }

    // ------------------------------------------------------------------ usage totals

    @Test
    void committedAppendsUpdateTheCachedDayAndMonthAndRolledBackOnesDoNot() {
        AgentId id = TestData.newAgentId();
        store.usageLedger().append(TestData.volume(id, "10.00", NOON));
        store.usageLedger().append(TestData.usage(id, UsageType.AGENT_CREATED, "0", NOON));
        UsageTotals day = store.usageLedger().totals(id, DAY_START, DAY_END); // cached now
        assertEquals(new UsageTotals.Total(1, Money.usd("10.00")), day.of(UsageType.TRADE_EXECUTED));

        assertThrows(IllegalStateException.class, () -> store.transactions().run(() -> {
            store.usageLedger().append(TestData.volume(id, "500.00", NOON));
            assertEquals(new UsageTotals.Total(2, Money.usd("510.00")),
                    store.usageLedger().totals(id, DAY_START, DAY_END).of(UsageType.TRADE_EXECUTED),
                    "the unit reads its own append");
            throw new IllegalStateException("boom");
        }));
        assertEquals(day, store.usageLedger().totals(id, DAY_START, DAY_END));

        store.usageLedger().append(TestData.volume(id, "0.25", NOON.plusSeconds(1)));
        UsageTotals after = store.usageLedger().totals(id, DAY_START, DAY_END);
        assertEquals(new UsageTotals.Total(2, Money.usd("10.25")), after.of(UsageType.TRADE_EXECUTED));
        assertEquals(new UsageTotals.Total(1, Money.usd("0")), after.of(UsageType.AGENT_CREATED), "other types kept");
        assertEquals(after, store.usageLedger().totals(id, MONTH_START, MONTH_END));
        assertEquals(after, store.usageLedger().totals(id, DAY_START, DAY_START.plusSeconds(86_399)),
                "a window that is not cached agrees");
    }

    @Test
    void aBatchReadsTotalsItsEarlierUnitsAppendedToFromSqlite() throws Exception {
        AgentId id = TestData.newAgentId();
        store.usageLedger().append(TestData.volume(id, "1.00", NOON));
        store.usageLedger().totals(id, DAY_START, DAY_END); // cached now

        Blocker blocker = blockWriter();
        Future<?> first = pool.submit(() -> store.usageLedger().append(TestData.volume(id, "2.00", NOON)));
        awaitQueued(1);
        Future<?> failing = pool.submit(() -> store.transactions().run(() -> {
            store.usageLedger().append(TestData.volume(id, "40.00", NOON));
            throw new IllegalStateException("boom");
        }));
        awaitQueued(2);
        Future<UsageTotals.Total> reader = pool.submit(() -> store.transactions().inTransaction(
                () -> store.usageLedger().totals(id, MONTH_START, MONTH_END).of(UsageType.TRADE_EXECUTED)));
        awaitQueued(3);
        blocker.release();

        first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThrows(ExecutionException.class, () -> failing.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new UsageTotals.Total(2, Money.usd("3.00")), reader.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new UsageTotals.Total(2, Money.usd("3.00")),
                store.usageLedger().totals(id, DAY_START, DAY_END).of(UsageType.TRADE_EXECUTED));
    }

    @Test
    void readersRacingAppendsNeverLeaveOlderTotalsInTheCache() throws Exception {
        AgentId id = TestData.newAgentId();
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(pool.submit(() -> {
                while (!stop.get()) {
                    store.usageLedger().totals(id, DAY_START, DAY_END);
                }
            }));
        }
        try {
            for (int n = 1; n <= 300; n++) {
                store.usageLedger().append(TestData.volume(id, "1.00", NOON));
                assertEquals(n, store.usageLedger().totals(id, DAY_START, DAY_END).of(UsageType.TRADE_EXECUTED).count());
            }
        } finally {
            stop.set(true);
            for (Future<?> r : readers) {
                r.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Occupies the writer with a unit that waits until released, so later units queue up behind it. */
    private Blocker blockWriter() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> unit = pool.submit(() -> store.transactions().run(() -> {
            running.countDown();
            try {
                assertTrue(release.await(WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
        assertTrue(running.await(WAIT_SECONDS, TimeUnit.SECONDS));
        return new Blocker(release, unit);
    }

    private record Blocker(CountDownLatch latch, Future<?> unit) {
        void release() throws Exception {
            latch.countDown();
            unit.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void awaitQueued(int units) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (store.transactions().queuedUnits() < units) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + store.transactions().queuedUnits() + " of " + units + " units queued");
            }
            Thread.sleep(1);
        }
    }
}
