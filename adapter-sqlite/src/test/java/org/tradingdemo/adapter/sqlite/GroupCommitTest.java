package org.tradingdemo.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.contract.TestData;

/**
 * The single writer under load: no SQLITE_BUSY, every unit committed exactly once, several units per
 * COMMIT, a failing unit alone rolled back, and a caller that stops waiting never gets a half-written
 * unit.
 */
class GroupCommitTest {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private SqliteStore store;

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        if (store != null) {
            store.close();
        }
    }

    @Test
    void sixtyFourWritersCommitEveryUnitExactlyOnceWithoutBusyErrors() throws Exception {
        store = TestStores.open(dir.resolve("load.db"));
        int writers = 64;
        long runNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("sqlite.stress.millis", 5_000));
        AgentId agent = TestData.newAgentId();
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        SqliteTransactions.WriterStats before = store.writerStats();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            running.add(pool.submit(() -> {
                await(start);
                long end = System.nanoTime() + runNanos;
                while (System.nanoTime() < end) {
                    Trade trade = TestData.trade().agentId(agent).status(TradeStatus.EXECUTED).build();
                    try {
                        String id = store.transactions().inTransaction(() -> {
                            store.trades().save(trade);
                            store.usageLedger().append(TestData.volume(agent, "1500.00", TestData.T0));
                            return trade.id().value();
                        });
                        acknowledged.add(id);
                    } catch (Throwable t) {
                        failures.add(t);
                        return;
                    }
                }
            }));
        }
        // two readers alongside: WAL serves them while the writer commits
        for (int r = 0; r < 2; r++) {
            running.add(pool.submit(() -> {
                await(start);
                long end = System.nanoTime() + runNanos;
                while (System.nanoTime() < end) {
                    try {
                        store.trades().findOpen(agent);
                        store.usageLedger().totals(agent, TestData.T0.minusSeconds(1), TestData.T0.plusSeconds(1));
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                        return;
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> f : running) {
            f.get(runNanos / 1_000_000_000L + WAIT_SECONDS, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertEquals(List.of(), List.copyOf(failures), "no caller saw an exception (no SQLITE_BUSY, no timeout)");
        Set<String> ackedIds = new HashSet<>(acknowledged);
        assertEquals(acknowledged.size(), ackedIds.size(), "no unit acknowledged twice");
        List<String> stored = store.withReader(h -> h.createQuery("SELECT id FROM trades WHERE agent_id = :agent")
                .bind("agent", agent.value()).mapTo(String.class).list());
        assertEquals(ackedIds, new HashSet<>(stored), "every acknowledged unit is stored, and nothing else");
        long usageRows = store.withReader(h -> h.createQuery("SELECT count(*) FROM usage_records WHERE agent_id = :agent")
                .bind("agent", agent.value()).mapTo(Long.class).one());
        assertEquals(ackedIds.size(), usageRows, "both writes of every unit committed together");
        assertEquals(ackedIds.size(), store.usageLedger()
                .totals(agent, TestData.T0.minusSeconds(1), TestData.T0.plusSeconds(1)).of(
                        org.tradingdemo.domain.model.UsageType.TRADE_EXECUTED).count());

        SqliteTransactions.WriterStats after = store.writerStats();
        long commits = after.commits() - before.commits();
        long units = after.committedUnits() - before.committedUnits();
        assertEquals(ackedIds.size(), units);
        assertTrue(commits < units, "group commit: " + units + " units in " + commits + " commits");
        System.out.printf("[sqlite] %d writers, %.1f s, synchronous=FULL: %d units (%.0f units/s), %d commits"
                        + " (%.0f commits/s, %.1f units per commit, largest batch %d), %d concurrent reads%n",
                writers, seconds, units, units / seconds, commits, commits / seconds, (double) units / commits,
                after.largestBatch(), reads.get());
    }

    @Test
    void queuedUnitsShareOneCommit() throws Exception {
        store = TestStores.open(dir.resolve("batch.db"));
        Blocker blocker = blockWriter();
        SqliteTransactions.WriterStats before = store.writerStats();
        int units = 20;
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            Alert alert = TestData.alert().build();
            results.add(pool.submit(() -> store.transactions().inTransaction(() -> {
                store.alerts().save(alert);
                return alert.id().value();
            })));
        }
        awaitQueued(units);

        blocker.release();
        for (Future<String> r : results) {
            assertTrue(store.alerts().findById(org.tradingdemo.domain.model.AlertId.of(r.get(WAIT_SECONDS, TimeUnit.SECONDS))).isPresent());
        }

        SqliteTransactions.WriterStats after = store.writerStats();
        assertEquals(units + 1, after.committedUnits() - before.committedUnits());
        assertEquals(2, after.commits() - before.commits(), "the blocker's commit, then one for all 20 queued units");
        assertTrue(after.largestBatch() >= units);
    }

    @Test
    void aFailingUnitIsRolledBackAloneAndItsBatchNeighboursCommit() throws Exception {
        store = TestStores.open(dir.resolve("neighbours.db"));
        Blocker blocker = blockWriter();
        SqliteTransactions.WriterStats before = store.writerStats();
        Alert first = TestData.alert().build();
        Alert failing = TestData.alert().build();
        Alert last = TestData.alert().build();
        IllegalStateException boom = new IllegalStateException("boom");

        Future<?> firstUnit = pool.submit(() -> store.transactions().run(() -> store.alerts().save(first)));
        awaitQueued(1);
        Future<?> failingUnit = pool.submit(() -> store.transactions().run(() -> {
            store.alerts().save(failing);
            assertTrue(store.alerts().findById(failing.id()).isPresent(), "the unit reads its own write");
            throw boom;
        }));
        awaitQueued(2);
        Future<?> lastUnit = pool.submit(() -> store.transactions().run(() -> store.alerts().save(last)));
        awaitQueued(3);

        blocker.release();
        firstUnit.get(WAIT_SECONDS, TimeUnit.SECONDS);
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> failingUnit.get(WAIT_SECONDS, TimeUnit.SECONDS));
        lastUnit.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertSame(boom, thrown.getCause(), "the caller gets the unit's own exception");
        assertEquals(Optional.of(first), store.alerts().findById(first.id()));
        assertEquals(Optional.empty(), store.alerts().findById(failing.id()));
        assertEquals(Optional.of(last), store.alerts().findById(last.id()));
        SqliteTransactions.WriterStats after = store.writerStats();
        assertEquals(2, after.commits() - before.commits(), "the three units ran in one batch, one COMMIT");
        assertEquals(3, after.committedUnits() - before.committedUnits(), "blocker, first and last");
    }

    @Test
    void aCallerThatTimesOutGetsAnExceptionAndItsUnitIsNeverWritten() throws Exception {
        store = SqliteStore.open(dir.resolve("timeout.db"), SqliteOptions.defaults().withWriteTimeout(Duration.ofMillis(300)));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Alert slow = TestData.alert().build();
        Alert queued = TestData.alert().build();

        // this unit is still running when its caller gives up: it is rolled back
        Future<?> slowUnit = pool.submit(() -> store.transactions().run(() -> {
            store.alerts().save(slow);
            running.countDown();
            await(release);
        }));
        assertTrue(running.await(WAIT_SECONDS, TimeUnit.SECONDS));
        // this one is still queued when its caller gives up: it never runs
        SqliteStoreException queuedFailure = assertThrows(SqliteStoreException.class,
                () -> store.transactions().run(() -> store.alerts().save(queued)));
        ExecutionException slowFailure = assertThrows(ExecutionException.class,
                () -> slowUnit.get(WAIT_SECONDS, TimeUnit.SECONDS));
        release.countDown();

        assertTrue(queuedFailure.getMessage().contains("did not commit within 300 ms"), queuedFailure.getMessage());
        assertTrue(queuedFailure.getMessage().endsWith("nothing was written"), queuedFailure.getMessage());
        assertTrue(slowFailure.getCause() instanceof SqliteStoreException, String.valueOf(slowFailure.getCause()));
        Alert after = TestData.alert().build();
        store.alerts().save(after); // the writer goes on
        assertEquals(Optional.of(after), store.alerts().findById(after.id()));
        assertEquals(Optional.empty(), store.alerts().findById(slow.id()));
        assertEquals(Optional.empty(), store.alerts().findById(queued.id()));
    }

    @Test
    void anInterruptedCallerStopsWaitingAndKeepsItsInterruptFlag() throws Exception {
        store = TestStores.open(dir.resolve("interrupt.db"));
        Blocker blocker = blockWriter();
        Alert alert = TestData.alert().build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                store.transactions().run(() -> store.alerts().save(alert));
            } catch (Throwable t) {
                failure.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        awaitQueued(1);

        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        blocker.release();

        assertFalse(caller.isAlive());
        assertTrue(failure.get() instanceof SqliteStoreException, String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("interrupted"), failure.get().getMessage());
        assertTrue(stillInterrupted.get());
        store.alerts().save(TestData.alert().build()); // after the blocker: the abandoned unit was skipped
        assertEquals(Optional.empty(), store.alerts().findById(alert.id()));
    }

    @Test
    void aWriteOutsideAUnitIsItsOwnUnitAndReadsUseReaders() {
        store = TestStores.open(dir.resolve("autocommit.db"));
        SqliteTransactions.WriterStats before = store.writerStats();

        store.alerts().save(TestData.alert().build());
        store.alerts().save(TestData.alert().build());

        assertEquals(2, store.writerStats().commits() - before.commits());
        assertFalse(store.transactions().onWriterThread());
    }

    /** Occupies the writer with a unit that waits until released, so later units queue up behind it. */
    private Blocker blockWriter() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> unit = pool.submit(() -> store.transactions().run(() -> {
            running.countDown();
            await(release);
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

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
