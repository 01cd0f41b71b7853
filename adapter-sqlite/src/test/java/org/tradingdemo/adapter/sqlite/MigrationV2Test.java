package org.tradingdemo.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.contract.TestData;

/**
 * V2 rebuilds trades, usage_records and outbox as WITHOUT ROWID tables (and drops the records' agent
 * index): a database written at V1 opens, is migrated, and every row is still there and answers as before.
 */
class MigrationV2Test {

    @TempDir
    Path dir;

    @Test
    void aV1DatabaseKeepsEveryRowAndIndexAcrossV2() {
        Path file = dir.resolve("v1.db");
        AgentId agent = TestData.newAgentId();
        Instant at = Instant.parse("2032-02-01T12:00:00Z");
        Trade executed = TestData.trade().agentId(agent).clientOrderId("order-1").symbol("AAPL").buy("3", "150.25")
                .status(TradeStatus.EXECUTED).build();
        Trade open = TestData.trade().agentId(agent).symbol("MSFT").buy("1", "400").status(TradeStatus.PENDING_APPROVAL)
                .build();
        UsageRecord usage = TestData.volume(agent, "450.75", at);
        OutboxMessage message = new OutboxMessage("msg-1", "quota.complete", "quota.complete:r-1",
                Map.of("reservationId", "r-1"), at, 0, at.plusSeconds(10), Optional.empty(), Optional.empty());

        // a database as a V1 build left it, rows written through the same repositories
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + file);
        try (Handle h = jdbi.open()) {
            Migrations.migrate(h, "v1.db", List.of(Migrations.ALL.get(0)));
            assertEquals(1, (int) h.createQuery("SELECT max(version) FROM schema_version").mapTo(Integer.class).one());
        }
        try (Handle h = jdbi.open()) {
            writeV1Rows(h, executed, open, usage, message);
        }

        try (SqliteStore store = TestStores.open(file)) {
            assertEquals(Migrations.latest(), store.schemaVersion());
            assertEquals(0, (int) store.withReader(h -> h.createQuery(
                    "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'usage_monthly%'").mapTo(Integer.class).one()),
                    "V3 dropped the monthly totals");
            for (String table : List.of("trades", "usage_records", "outbox")) {
                String sql = store.withReader(h -> h.createQuery("SELECT sql FROM sqlite_schema WHERE name = :t")
                        .bind("t", table).mapTo(String.class).one());
                assertTrue(sql.contains("WITHOUT ROWID"), table + ": " + sql);
                assertTrue(sql.startsWith("CREATE TABLE \"" + table + "\"") || sql.startsWith("CREATE TABLE " + table),
                        table + " renamed back: " + sql);
            }
            List<String> indexes = store.withReader(h -> h.createQuery("SELECT name FROM sqlite_schema WHERE type = 'index'"
                    + " AND tbl_name IN ('trades', 'usage_records', 'outbox') ORDER BY name").mapTo(String.class).list());
            assertEquals(List.of("outbox_due", "outbox_idempotency_key", "trades_agent_newest", "trades_agent_open",
                    "trades_client_order_id", "usage_records_time"), indexes,
                    "the same indexes but the records' agent index, and no automatic index on the ids any more");

            assertEquals(Optional.of(executed), store.trades().findById(executed.id()));
            assertEquals(Optional.of(executed), store.trades().findByClientOrderId(agent, executed.clientOrderId().get()));
            assertEquals(List.of(open), store.trades().findOpen(agent));
            assertEquals(new UsageTotals.Total(1, Money.usd("450.75")),
                    store.usageLedger().totals(agent, at.minusSeconds(60), at.plusSeconds(60)).of(UsageType.TRADE_EXECUTED));
            assertEquals(new UsageTotals.Total(1, Money.usd("450.75")), store.usageLedger()
                    .totals(agent, Instant.parse("2032-02-01T00:00:00Z"), Instant.parse("2032-02-02T00:00:00Z"))
                    .of(UsageType.TRADE_EXECUTED));
            assertEquals(new UsageTotals.Total(1, Money.usd("450.75")), store.usageLedger()
                    .totals(agent, Instant.parse("2032-02-01T00:00:00Z"), Instant.parse("2032-03-01T00:00:00Z"))
                    .of(UsageType.TRADE_EXECUTED), "a month is the sum of its days (V3)");
            assertFalse(store.usageLedger().append(usage), "the event id is still unique");
            assertEquals(Optional.of(message), store.outbox().findById("msg-1"));
            assertEquals(List.of(message), store.outbox().due(at.plusSeconds(10), 10));
            assertFalse(store.outbox().append(new OutboxMessage("msg-2", "quota.complete", "quota.complete:r-1",
                    Map.of(), at, 0, at, Optional.empty(), Optional.empty())), "the idempotency key is still unique");

            // and the tables take new rows
            Trade later = TestData.trade().agentId(agent).id(TradeId.of(TestData.unique("trade"))).symbol("AAPL")
                    .sell("1", "151").status(TradeStatus.EXECUTED).build();
            store.trades().save(later);
            assertEquals(Optional.of(later), store.trades().findById(later.id()));
        }
    }

    /** The V1 rows, written with plain statements (the repositories need an open store, which migrates). */
    private static void writeV1Rows(Handle h, Trade executed, Trade open, UsageRecord usage, OutboxMessage message) {
        for (Trade t : List.of(executed, open)) {
            h.createUpdate("INSERT INTO trades (id, agent_id, client_order_id, symbol, side, quantity, price, type, status,"
                            + " amount, submitted_at, executed_at, cancelled_at, reason, quota_reservation) VALUES (:id, :agent,"
                            + " :coid, :symbol, :side, :qty, :price, :type, :status, :amount, :submitted, :executed, :cancelled,"
                            + " :reason, :reservation)")
                    .bind("id", t.id().value())
                    .bind("agent", t.agentId().value())
                    .bind("coid", Columns.textOrNull(t.clientOrderId()))
                    .bind("symbol", t.symbol().value())
                    .bind("side", t.side().wireName())
                    .bind("qty", Columns.decimal(t.quantity().value()))
                    .bind("price", Columns.decimal(t.price().value()))
                    .bind("type", t.type().wireName())
                    .bind("status", t.status().wireName())
                    .bind("amount", Columns.money(t.amount()))
                    .bind("submitted", Columns.instant(t.submittedAt()))
                    .bind("executed", Columns.instantOrNull(t.executedAt()))
                    .bind("cancelled", Columns.instantOrNull(t.cancelledAt()))
                    .bind("reason", t.reason().orElse(null))
                    .bind("reservation", t.quotaReservation().orElse(null))
                    .execute();
        }
        h.createUpdate("INSERT INTO usage_records (event_id, agent_id, type, amount, occurred_at, metadata)"
                        + " VALUES (:e, :a, :t, :m, :o, :d)")
                .bind("e", usage.eventId()).bind("a", usage.agentId().value()).bind("t", usage.type().wireName())
                .bind("m", Columns.money(usage.amount())).bind("o", Columns.instant(usage.occurredAt()))
                .bind("d", FlatJson.write(usage.metadata()))
                .execute();
        h.createUpdate("INSERT INTO usage_daily (agent_id, day, type, count, amount) VALUES (:a, '2032-02-01', :t, 1, :m)")
                .bind("a", usage.agentId().value()).bind("t", usage.type().wireName()).bind("m", Columns.money(usage.amount()))
                .execute();
        h.createUpdate("INSERT INTO usage_monthly (agent_id, month, type, count, amount) VALUES (:a, '2032-02', :t, 1, :m)")
                .bind("a", usage.agentId().value()).bind("t", usage.type().wireName()).bind("m", Columns.money(usage.amount()))
                .execute();
        h.createUpdate("INSERT INTO outbox (id, kind, idempotency_key, payload, created_at, attempts, next_attempt_at,"
                        + " delivered_at, last_error) VALUES (:id, :kind, :key, :payload, :created, 0, :next, NULL, NULL)")
                .bind("id", message.id()).bind("kind", message.kind()).bind("key", message.idempotencyKey())
                .bind("payload", FlatJson.write(message.payload())).bind("created", Columns.instant(message.createdAt()))
                .bind("next", Columns.instant(message.nextAttemptAt()))
                .execute();
    }
}
