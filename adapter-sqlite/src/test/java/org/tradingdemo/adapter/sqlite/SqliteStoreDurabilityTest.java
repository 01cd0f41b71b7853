package org.tradingdemo.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.TradeRepository.TradeQuery;
import org.tradingdemo.domain.port.contract.TestData;

/** What was committed is there after a restart and in a backup, to the last decimal and nanosecond. */
class SqliteStoreDurabilityTest {

    @TempDir
    Path dir;

    /** One committed row of every kind, plus the exact values that a REAL column would damage. */
    private final class Everything {
        final Agent agent = TestData.agent().config(new AgentConfig(Money.usd("999999.99"), Strategy.AGGRESSIVE,
                RiskTolerance.HIGH, Optional.of(Money.usd("0.01")))).createdAt(TestData.T0.plusNanos(123_456_789)).build();
        final Trade tiny = TestData.trade().agentId(agent.id()).symbol("BTC/USD").buy("0.00000001", "999999999")
                .status(TradeStatus.EXECUTED).build();
        final Trade tenth = TestData.trade().agentId(agent.id()).clientOrderId("co-1").symbol("BRK.B").buy("0.1", "0.1")
                .status(TradeStatus.PENDING_APPROVAL).submittedAt(TestData.T0.plusSeconds(1)).build();
        final Trade big = TestData.trade().agentId(agent.id()).buy("1", "999999.99").status(TradeStatus.CANCELLED)
                .submittedAt(TestData.T0.plusSeconds(2)).build();
        final Portfolio portfolio = TestData.busyPortfolio(agent.id());
        final OversightRequest request = TestData.request().agentId(agent.id()).tradeId(tenth.id()).build();
        final Alert alert = TestData.alert().agentId(agent.id()).message("quota at 80 % — \"héllo\"").build();
        final UsageRecord usage = new UsageRecord("evt-" + agent.id(), agent.id(), UsageType.TRADE_EXECUTED,
                Money.usd("999999.99"), TestData.T0, Map.of("tradeId", big.id().value(), "note", "quote \" and \\ and \n"));
        final User user = new User(TestData.newUserId(), "trader-" + Math.abs(agent.id().hashCode() % 10_000),
                "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", Role.TRADER, TestData.T0);
        final OutboxMessage message = OutboxMessage.create("msg-" + agent.id(), "quota.complete",
                "quota.complete:" + big.id(), Map.of("tradeId", big.id().value()), TestData.T0);

        void write(SqliteStore store) {
            store.transactions().run(() -> {
                store.agents().save(agent);
                List.of(tiny, tenth, big).forEach(store.trades()::save);
                store.portfolios().save(portfolio);
                store.oversightRequests().save(request);
                store.alerts().save(alert);
                assertTrue(store.usageLedger().append(usage));
                store.users().save(user);
                assertTrue(store.outbox().append(message));
            });
        }

        void assertIn(SqliteStore store) {
            assertEquals(Optional.of(agent), store.agents().findById(agent.id()));
            assertEquals(Optional.of(tiny), store.trades().findById(tiny.id()));
            assertEquals(new BigDecimal("0.00000001"), store.trades().findById(tiny.id()).orElseThrow().quantity().value());
            assertEquals(Money.usd("10.00"), store.trades().findById(tiny.id()).orElseThrow().amount());
            assertEquals(Money.usd("0.01"), store.trades().findById(tenth.id()).orElseThrow().amount());
            assertEquals(new BigDecimal("0.1"), store.trades().findById(tenth.id()).orElseThrow().price().value());
            assertEquals(Money.usd("999999.99"), store.trades().findById(big.id()).orElseThrow().amount());
            assertEquals(List.of(big, tenth, tiny), store.trades().list(TradeQuery.all(agent.id(), PageRequest.first(10))).items());
            assertEquals(Optional.of(tenth), store.trades().findByClientOrderId(agent.id(),
                    tenth.clientOrderId().orElseThrow()));
            assertEquals(Optional.of(portfolio), store.portfolios().findByAgentId(agent.id()));
            assertEquals(new BigDecimal("0.00012345"), store.portfolios().findByAgentId(agent.id()).orElseThrow()
                    .heldQuantity(Symbol.of("BTC/USD")));
            assertEquals(Optional.of(request), store.oversightRequests().findByTradeId(tenth.id()));
            assertEquals(Optional.of(alert), store.alerts().findById(alert.id()));
            UsageTotals day = store.usageLedger().totals(agent.id(), TestData.T0.minus(Duration.ofHours(10)),
                    TestData.T0.plus(Duration.ofHours(14)));
            assertEquals(new UsageTotals.Total(1, Money.usd("999999.99")), day.of(UsageType.TRADE_EXECUTED));
            assertFalse(store.usageLedger().append(usage), "the event id is still known");
            assertEquals(Optional.of(user), store.users().findByUsername(user.username()));
            assertEquals(Optional.of(message), store.outbox().findById(message.id()));
        }
    }

    @Test
    void everythingCommittedIsThereAfterARestart() {
        Path file = dir.resolve("restart.db");
        Everything e = new Everything();
        try (SqliteStore store = TestStores.open(file)) {
            e.write(store);
            e.assertIn(store);
        }

        try (SqliteStore reopened = TestStores.open(file)) {
            e.assertIn(reopened);
        }
    }

    @Test
    void idleReadersHoldNoSnapshotSoTheWalCanBeCheckpointed() throws Exception {
        Path file = dir.resolve("checkpoint.db");
        try (SqliteStore store = TestStores.open(file)) {
            Everything e = new Everything();
            e.write(store);
            for (int i = 0; i < 20; i++) {
                e.assertIn(store); // every kind of read, on every reader connection
            }

            try (java.sql.Connection c = TestStores.raw(file); java.sql.Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 2000");
                try (java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1), "no reader pins an old snapshot (busy = 0)");
                    assertEquals(0, rs.getInt(2), "the WAL was emptied");
                }
            }
            e.assertIn(store);
        }
    }

    @Test
    void moneyAndQuantitiesAreStoredAsExactDecimalTextAndTimesAsSortableText() {
        try (SqliteStore store = TestStores.open(dir.resolve("format.db"))) {
            Everything e = new Everything();
            e.write(store);

            List<String> row = store.withReader(h -> h.createQuery("SELECT quantity, price, amount, typeof(quantity),"
                            + " typeof(amount), submitted_at FROM trades WHERE id = :id")
                    .bind("id", e.tiny.id().value())
                    .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)))
                    .one());
            assertEquals(List.of("0.00000001", "999999999", "10.00", "text", "text", "2031-03-14T10:15:30.000000000Z"), row);
            String budget = store.withReader(h -> h.createQuery("SELECT budget || ' ' || created_at FROM agents WHERE id = :id")
                    .bind("id", e.agent.id().value()).mapTo(String.class).one());
            assertEquals("999999.99 2031-03-14T10:15:30.123456789Z", budget);
            long reals = store.withReader(h -> h.createQuery("SELECT (SELECT count(*) FROM trades WHERE typeof(amount) = 'real')"
                    + " + (SELECT count(*) FROM usage_daily WHERE typeof(amount) = 'real')"
                    + " + (SELECT count(*) FROM portfolio_positions WHERE typeof(quantity) = 'real')").mapTo(Long.class).one());
            assertEquals(0, reals);
        }
    }

    @Test
    void sumsOfManyAwkwardAmountsStayExact() {
        try (SqliteStore store = TestStores.open(dir.resolve("sums.db"))) {
            var agent = TestData.newAgentId();
            for (int i = 0; i < 100; i++) {
                store.usageLedger().append(TestData.volume(agent, "0.10", TestData.T0.plusSeconds(i)));
            }
            store.usageLedger().append(TestData.volume(agent, "999999.99", TestData.T0));
            Instant day = Instant.parse("2031-03-14T00:00:00Z");

            assertEquals(Money.usd("1000009.99"), store.usageLedger().totals(agent, day, day.plus(Duration.ofDays(1)))
                    .of(UsageType.TRADE_EXECUTED).amount(), "0.10 a hundred times is exactly 10.00");
            assertEquals(Money.usd("1000009.99"), store.usageLedger().totals(agent, TestData.T0, TestData.T0.plusSeconds(100))
                    .of(UsageType.TRADE_EXECUTED).amount());
        }
    }

    @Test
    void aBackupIsAConsistentCopyThatOpensWithTheSameData() throws Exception {
        Path file = dir.resolve("live.db");
        Path copy = dir.resolve("backups/live-copy.db");
        Everything e = new Everything();
        Trade later = TestData.trade().build();
        try (SqliteStore store = TestStores.open(file)) {
            e.write(store);
            store.trades().findById(e.tiny.id()); // a reader was used before: statements are reset, not in progress

            store.backupTo(copy);
            store.trades().save(later); // after the backup: not in the copy

            assertTrue(Files.size(copy) > 0);
            assertTrue(store.isHealthy());
            try (SqliteStore restored = TestStores.open(copy)) {
                e.assertIn(restored);
                assertEquals(Optional.empty(), restored.trades().findById(later.id()));
            }
            store.backupTo(copy); // replaces an existing backup
            try (SqliteStore restored = TestStores.open(copy)) {
                assertEquals(Optional.of(later), restored.trades().findById(later.id()));
            }
        }
        try (var files = Files.list(copy.getParent())) {
            assertEquals(List.of("live-copy.db"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".lock")).toList(), "no temporary file left behind");
        }
    }

    @Test
    void aBackupOntoTheLiveFileIsRefused() {
        Path file = dir.resolve("self.db");
        try (SqliteStore store = TestStores.open(file)) {
            assertThrows(IllegalArgumentException.class, () -> store.backupTo(file));
        }
    }

    @Test
    void usersHaveUniqueUsernames() {
        try (SqliteStore store = TestStores.open(dir.resolve("users.db"))) {
            long before = store.users().count();
            User alice = new User(TestData.newUserId(), "alice", "hash-1", Role.ADMIN, TestData.T0);
            store.users().save(alice);
            User renamed = new User(alice.id(), "alice.admin", "hash-2", Role.ADMIN, TestData.T0);
            store.users().save(renamed);
            User other = new User(UserId.of("someone-else"), "alice.admin", "hash-3", Role.VIEWER, TestData.T0);

            IllegalStateException taken = assertThrows(IllegalStateException.class, () -> store.users().save(other));

            assertEquals("username alice.admin is taken", taken.getMessage());
            assertEquals(Optional.of(renamed), store.users().findById(alice.id()));
            assertEquals(Optional.of(renamed), store.users().findByUsername("alice.admin"));
            assertEquals(Optional.empty(), store.users().findByUsername("alice"));
            assertEquals(Optional.empty(), store.users().findById(other.id()));
            assertEquals(before + 1, store.users().count());
            store.transactions().run(() -> {
                store.users().save(new User(UserId.of("bob-1"), "bob", "h", Role.TRADER, TestData.T0));
                assertEquals(before + 2, store.users().count(), "counts its own staged user");
            });
        }
    }

    @Test
    void theOutboxIsIdempotentByKeyAndServesDueMessagesOldestFirst() {
        try (SqliteStore store = TestStores.open(dir.resolve("outbox.db"))) {
            long pendingBefore = store.outbox().countPending();
            Instant now = TestData.T0;
            OutboxMessage first = OutboxMessage.create("m-1", "approval.submit", "approval.submit:t-1",
                    Map.of("tradeId", "t-1", "requestId", "r-1"), now.minusSeconds(30));
            OutboxMessage second = OutboxMessage.create("m-2", "quota.complete", "quota.complete:t-2",
                    Map.of("tradeId", "t-2"), now.minusSeconds(20));
            OutboxMessage notYet = OutboxMessage.create("m-3", "quota.complete", "quota.complete:t-3",
                    Map.of(), now.plusSeconds(60));
            OutboxMessage sameKey = OutboxMessage.create("m-4", "approval.submit", "approval.submit:t-1",
                    Map.of("tradeId", "t-1"), now);

            assertTrue(store.outbox().append(first));
            assertTrue(store.outbox().append(second));
            assertTrue(store.outbox().append(notYet));
            assertFalse(store.outbox().append(sameKey), "same idempotency key");
            assertFalse(store.outbox().append(first), "same message");

            assertEquals(List.of(first, second), store.outbox().due(now, 10));
            assertEquals(List.of(first), store.outbox().due(now, 1));
            assertEquals(pendingBefore + 3, store.outbox().countPending());

            OutboxMessage retried = first.failed("metering unavailable", now.plusSeconds(5));
            store.outbox().save(retried);
            assertEquals(List.of(second), store.outbox().due(now, 10), "retried later");
            assertEquals(List.of(retried, second), store.outbox().due(now.plusSeconds(5), 10), "oldest first");
            store.outbox().save(second.delivered(now));
            assertEquals(List.of(retried), store.outbox().due(now.plusSeconds(5), 10));
            assertEquals(pendingBefore + 2, store.outbox().countPending());
            assertEquals(Optional.of(retried), store.outbox().findById("m-1"));
            OutboxMessage stealsKey = new OutboxMessage("m-3", notYet.kind(), "quota.complete:t-2", Map.of(),
                    notYet.createdAt(), 0, notYet.nextAttemptAt(), Optional.empty(), Optional.empty());
            assertThrows(IllegalStateException.class, () -> store.outbox().save(stealsKey));
            assertThrows(IllegalStateException.class, () -> store.transactions().run(() -> {
                store.outbox().append(OutboxMessage.create("m-5", "k", "key-5", Map.of(), now));
                throw new IllegalStateException("rolled back");
            }));
            assertEquals(Optional.empty(), store.outbox().findById("m-5"), "the outbox joins the unit of work");
        }
    }
}
