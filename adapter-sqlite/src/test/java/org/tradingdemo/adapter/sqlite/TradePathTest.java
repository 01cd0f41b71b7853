package org.tradingdemo.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.contract.TestData;

/**
 * The shortcuts of the trade path: the agent cache, portfolio saves that write only changed rows,
 * usage totals added by {@code dec_add}, one-statement reads, and checkpoints off the writer.
 */
class TradePathTest {

    @TempDir
    Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("trade-path.db"), SqliteOptions.defaults().withSynchronous(SqliteOptions.Synchronous.NORMAL));
    }

    @AfterEach
    void close() {
        store.close();
    }

    // ------------------------------------------------------------------ agent cache

    @Test
    void aSavedAgentIsReadBackAtOnceEvenWhenAnOlderCopyWasCached() {
        Agent agent = TestData.agent().name("v0").build();
        store.agents().save(agent);
        assertEquals("v0", store.agents().findById(agent.id()).orElseThrow().name()); // now cached
        store.agents().save(named(agent, "v1"));
        assertEquals("v1", store.agents().findById(agent.id()).orElseThrow().name());
        store.transactions().run(() -> store.agents().save(named(agent, "v2")));
        assertEquals("v2", store.agents().findById(agent.id()).orElseThrow().name());
    }

    @Test
    void aRolledBackAgentWriteIsNeverServedAndTheUnitSeesItsOwnWrite() {
        Agent agent = TestData.agent().name("committed").build();
        store.agents().save(agent);
        assertEquals("committed", store.agents().findById(agent.id()).orElseThrow().name());
        AtomicReference<String> seenInside = new AtomicReference<>();
        assertThrows(IllegalStateException.class, () -> store.transactions().run(() -> {
            store.agents().save(named(agent, "rolled back"));
            seenInside.set(store.agents().findById(agent.id()).orElseThrow().name());
            throw new IllegalStateException("boom");
        }));
        assertEquals("rolled back", seenInside.get());
        assertEquals("committed", store.agents().findById(agent.id()).orElseThrow().name());
    }

    @Test
    void readersRacingAWriterNeverLeaveAnOlderAgentInTheCache() throws Exception {
        Agent agent = TestData.agent().name("v0").build();
        store.agents().save(agent);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    store.agents().findById(agent.id());
                }
            });
            t.start();
            readers.add(t);
        }
        try {
            for (int v = 1; v <= 300; v++) {
                store.agents().save(named(agent, "v" + v));
                // once save returned, every later read sees this version or a newer one
                assertEquals("v" + v, store.agents().findById(agent.id()).orElseThrow().name());
            }
        } finally {
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
        }
    }

    @Test
    void anAgentThatDoesNotExistIsNotCachedAsMissing() {
        Agent agent = TestData.agent().build();
        assertTrue(store.agents().findById(agent.id()).isEmpty());
        store.agents().save(agent);
        assertEquals(agent, store.agents().findById(agent.id()).orElseThrow());
    }

    private static Agent named(Agent a, String name) {
        return new Agent(a.id(), name, a.status(), a.config(), a.userId(), a.createdAt(), a.updatedAt());
    }

    // ------------------------------------------------------------------ portfolio saves

    @Test
    void savingWritesOnlyWhatChangedAndTheStoredPortfolioIsExactlyTheSavedOne() {
        AgentId id = TestData.newAgentId();
        Portfolio busy = TestData.busyPortfolio(id); // two positions, two reservations
        store.portfolios().save(busy);
        assertEquals(busy, store.portfolios().findByAgentId(id).orElseThrow());

        // a position sold out, another bought, one reservation released, a new one taken
        Trade sellAllBtc = TestData.trade().agentId(id).symbol("BTC/USD").sell("0.00012345", "70000").status(TradeStatus.EXECUTED).build();
        Trade buyMsft = TestData.trade().agentId(id).symbol("MSFT").buy("1.5", "400.10").status(TradeStatus.EXECUTED).build();
        Trade reserveTsla = TestData.trade().agentId(id).symbol("TSLA").buy("2", "250").status(TradeStatus.PENDING_APPROVAL).build();
        Portfolio next = busy.apply(sellAllBtc).apply(buyMsft)
                .release(busy.reservations().keySet().iterator().next())
                .reserve(reserveTsla);
        store.portfolios().save(next);
        assertEquals(next, store.portfolios().findByAgentId(id).orElseThrow());
        assertEquals(next.positions().size(), count("portfolio_positions", id));
        assertEquals(next.reservations().size(), count("portfolio_reservations", id));

        Portfolio empty = Portfolio.open(id, Money.usd(5));
        store.portfolios().save(empty);
        assertEquals(empty, store.portfolios().findByAgentId(id).orElseThrow());
        assertEquals(0, count("portfolio_positions", id));
        assertEquals(0, count("portfolio_reservations", id));
    }

    @Test
    void aRolledBackPortfolioSaveLeavesTheStoredOne() {
        AgentId id = TestData.newAgentId();
        Portfolio busy = TestData.busyPortfolio(id);
        store.portfolios().save(busy);
        assertThrows(IllegalStateException.class, () -> store.transactions().run(() -> {
            store.portfolios().save(Portfolio.open(id, Money.usd(1)));
            throw new IllegalStateException("boom");
        }));
        assertEquals(busy, store.portfolios().findByAgentId(id).orElseThrow());
    }

    private long count(String table, AgentId id) {
        return store.withReader(h -> h.createQuery("SELECT count(*) FROM " + table + " WHERE agent_id = :a")
                .bind("a", id.value()).mapTo(Long.class).one());
    }

    // ------------------------------------------------------------------ usage totals

    @Test
    void totalsAreExactDecimalsAndCountEachEventOnceWhetherAddedInSqlOrFromTheCache() {
        AgentId id = TestData.newAgentId();
        Instant at = Instant.parse("2031-03-14T10:15:30Z");
        Instant dayStart = Instant.parse("2031-03-14T00:00:00Z");
        Instant dayEnd = Instant.parse("2031-03-15T00:00:00Z");
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < 30; i++) {
            String amount = i % 3 == 0 ? "0.10" : i % 3 == 1 ? "0.20" : "999999.99";
            assertTrue(store.usageLedger().append(TestData.volume(id, amount, at.plusSeconds(i))));
            expected = expected.add(new BigDecimal(amount));
            if (i == 9) {
                // from here on the day's committed totals are cached: the rest are written as computed values
                assertEquals(10, store.usageLedger().totals(id, dayStart, dayEnd).of(UsageType.TRADE_EXECUTED).count());
            }
        }
        UsageRecord again = new UsageRecord("evt-once-" + id, id, UsageType.TRADE_EXECUTED, Money.usd("0.30"), at, Map.of());
        assertTrue(store.usageLedger().append(again));
        assertFalse(store.usageLedger().append(again));
        expected = expected.add(new BigDecimal("0.30"));

        String exact = expected.setScale(2).toPlainString();
        assertEquals(exact, total("usage_daily", id));
        // a day window (one daily row) and a ragged window (records + days in one statement)
        var day = store.usageLedger().totals(id, dayStart, dayEnd);
        assertEquals(Money.usd(exact), day.of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(31, day.of(UsageType.TRADE_EXECUTED).count());
        var month = store.usageLedger().totals(id, Instant.parse("2031-03-01T00:00:00Z"), Instant.parse("2031-04-01T00:00:00Z"));
        assertEquals(new UsageTotals.Total(31, Money.usd(exact)), month.of(UsageType.TRADE_EXECUTED), "a month is its days");
        var ragged = store.usageLedger().totals(id, Instant.parse("2031-01-30T12:00:00Z"), Instant.parse("2031-03-14T10:15:40Z"));
        assertEquals(10 + 1, ragged.of(UsageType.TRADE_EXECUTED).count()); // seconds 0..9 (the end is exclusive) and the repeated event
    }

    @Test
    void aTotalRowThatIsNotWhatTheCacheSaysIsStillAddedToExactly() {
        AgentId id = TestData.newAgentId();
        Instant at = Instant.parse("2031-05-02T09:00:00Z");
        assertTrue(store.usageLedger().append(TestData.volume(id, "10.00", at)));
        assertEquals(1, store.usageLedger().totals(id, Instant.parse("2031-05-02T00:00:00Z"),
                Instant.parse("2031-05-03T00:00:00Z")).of(UsageType.TRADE_EXECUTED).count(), "cached now");
        // only the ledger writes the totals; if the row ever differed, the guarded UPDATE (count = 1) finds
        // nothing and the append adds in SQL instead of overwriting the row with the cached sum
        store.transactions().run(() -> store.transactions().writerHandle()
                .execute("UPDATE usage_daily SET count = 5, amount = '50.00' WHERE agent_id = ?", id.value()));
        assertTrue(store.usageLedger().append(TestData.volume(id, "2.50", at.plusSeconds(1))));
        assertEquals("52.50", total("usage_daily", id));
        assertEquals(6L, (long) store.withReader(h -> h.createQuery("SELECT count FROM usage_daily WHERE agent_id = :a")
                .bind("a", id.value()).mapTo(Long.class).one()));
    }

    private String total(String table, AgentId id) {
        return store.withReader(h -> h.createQuery("SELECT amount FROM " + table + " WHERE agent_id = :a")
                .bind("a", id.value()).mapTo(String.class).one());
    }

    @Test
    void decAddRefusesWhatIsNotAnAmount() throws Exception {
        store.transactions().run(() -> {
            var h = store.transactions().writerHandle();
            assertEquals("0.30", h.createQuery("SELECT dec_add('0.10', '0.20')").mapTo(String.class).one());
            assertThrows(RuntimeException.class, () -> h.createQuery("SELECT dec_add('abc', '0.20')").mapTo(String.class).one());
            assertThrows(RuntimeException.class, () -> h.createQuery("SELECT dec_add(NULL, '0.20')").mapTo(String.class).one());
        });
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void theCheckpointerCopiesCommittedPagesIntoTheFile() throws Exception {
        Agent agent = TestData.agent().build();
        store.agents().save(agent);
        int autoCheckpoint = store.transactions().inTransaction(() ->
                store.transactions().writerHandle().createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
        assertEquals(Checkpointer.WRITER_AUTOCHECKPOINT_PAGES, autoCheckpoint);

        store.checkpointer().checkpoint();
        // the main file alone (no -wal next to it) now holds the agent
        Path copy = dir.resolve("copy.db");
        Files.copy(dir.resolve("trade-path.db"), copy);
        try (Connection c = TestStores.raw(copy); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM agents WHERE id = '" + agent.id().value() + "'")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void theLogStaysBoundedWhenTheWriterNeverPauses() throws Exception {
        // the checkpointer alone never gets the log restarted while the writer keeps writing; the
        // writer's own (rarer) automatic checkpoint does. ~10 pages a unit: 8,000 units would be ~300 MB.
        store.checkpointer().close();
        AgentId id = TestData.newAgentId();
        String padding = "x".repeat(3_000);
        for (int i = 0; i < 8_000; i++) {
            store.usageLedger().append(new UsageRecord("evt-" + i + "-" + id, id, UsageType.TRADE_EXECUTED,
                    Money.usd("1.00"), Instant.parse("2031-03-14T10:15:30Z").plusSeconds(i), Map.of("pad", padding)));
        }
        long wal = Files.size(dir.resolve("trade-path.db-wal"));
        assertTrue(wal < 2L * Checkpointer.WRITER_AUTOCHECKPOINT_PAGES * 4096, "WAL of " + wal + " bytes");
    }

    @Test
    void aFailedStatementNamesTheSqlAndKeepsTheDriverCause() {
        Trade trade = TestData.trade().clientOrderId("dup").build();
        store.trades().save(trade);
        Trade twin = TestData.trade().agentId(trade.agentId()).clientOrderId("dup").build();
        assertThrows(org.tradingdemo.domain.port.DuplicateClientOrderIdException.class, () -> store.trades().save(twin));
        assertEquals(Optional.of(trade), store.trades().findById(trade.id()));
    }
}
