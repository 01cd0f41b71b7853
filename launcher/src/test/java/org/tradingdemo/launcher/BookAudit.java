package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import org.tradingdemo.launcher.E2e.Api;

/**
 * Reads one agent's books through the HTTP API - every trade (all pages), the portfolio, the daily
 * usage - and checks them against each other: the portfolio is the replay of the executed trades,
 * every executed trade has its usage record, every trade awaiting approval has its pending request
 * and its cash reservation. What a crash must never leave half-done.
 */
final class BookAudit {

    private static final BigDecimal ZERO = BigDecimal.ZERO;
    private static final JsonNode ZERO_NODE = DecimalNode.valueOf(BigDecimal.ZERO);
    private static final Set<String> FINAL_OR_WAITING = Set.of("executed", "pending_approval", "rejected", "cancelled");

    /** One agent's books as the API shows them. */
    record Books(String agentId, BigDecimal budget, Map<String, JsonNode> trades, JsonNode portfolio, JsonNode usage) {

        long count(String status) {
            return trades.values().stream().filter(t -> t.path("status").asText().equals(status)).count();
        }

        BigDecimal executedVolume() {
            return sum("executed", null);
        }

        BigDecimal sum(String status, String side) {
            return trades.values().stream()
                    .filter(t -> t.path("status").asText().equals(status))
                    .filter(t -> side == null || t.path("side").asText().equals(side))
                    .map(t -> E2e.decimal(t.path("amount")))
                    .reduce(ZERO, BigDecimal::add);
        }
    }

    /** What the usage report's {@code used} (the quota's own figure) should equal. */
    enum Quota {
        /** the executed volume plus the trades awaiting approval (their reservations are held) */
        EXECUTED_AND_PENDING,
        /** the executed volume only (LocalQuota after a restart: its reservations were in memory) */
        EXECUTED_ONLY,
        /** not checked */
        NOT_CHECKED
    }

    private BookAudit() {
    }

    /** The pending approval requests visible to {@code approverToken}, by trade id. */
    static Map<String, JsonNode> pendingRequestsByTrade(Api api, String approverToken) {
        Map<String, JsonNode> byTrade = new HashMap<>();
        for (JsonNode r : api.all("/api/v1/oversight/requests?status=pending&limit=200", approverToken)) {
            JsonNode previous = byTrade.put(r.path("tradeId").asText(), r);
            assertTrue(previous == null, "two pending requests for trade " + r.path("tradeId").asText());
        }
        return byTrade;
    }

    static Books read(Api api, String token, String agentId, BigDecimal budget) {
        Map<String, JsonNode> trades = new HashMap<>();
        for (JsonNode t : api.all("/api/v1/agents/" + agentId + "/trades?limit=200", token)) {
            trades.put(t.path("id").asText(), t);
        }
        JsonNode portfolio = api.get("/api/v1/agents/" + agentId + "/portfolio", token).expect(200).json();
        JsonNode usage = api.get("/api/v1/agents/" + agentId + "/usage", token).expect(200).json();
        return new Books(agentId, budget, trades, portfolio, usage);
    }

    /**
     * Asserts the books agree with themselves.
     *
     * @param pendingRequests {@link #pendingRequestsByTrade}, read after the books
     * @param quota           what the quota's {@code used} should be
     */
    static void assertConsistent(Books b, Map<String, JsonNode> pendingRequests, Quota quota) {
        String who = "agent " + b.agentId() + ": ";
        BigDecimal cash = b.budget();
        Map<String, BigDecimal> held = new TreeMap<>();
        Map<String, Set<BigDecimal>> buyPrices = new HashMap<>();
        Map<String, BigDecimal> soldValueOverPrice = new HashMap<>();
        BigDecimal reservedCash = ZERO;
        for (JsonNode t : b.trades().values()) {
            String status = t.path("status").asText();
            assertTrue(FINAL_OR_WAITING.contains(status), who + "trade in status " + status + ": " + t);
            assertEquals(b.agentId(), t.path("agentId").asText(), who + t);
            String symbol = t.path("symbol").asText();
            BigDecimal quantity = E2e.decimal(t.path("quantity"));
            BigDecimal price = E2e.decimal(t.path("price"));
            BigDecimal amount = E2e.decimal(t.path("amount"));
            assertEquals(0, quantity.multiply(price).compareTo(amount), who + "amount = quantity x price: " + t);
            boolean buy = t.path("side").asText().equals("buy");
            switch (status) {
                case "executed" -> {
                    assertTrue(t.hasNonNull("executedAt"), who + "executed without executedAt: " + t);
                    if (buy) {
                        cash = cash.subtract(amount);
                        held.merge(symbol, quantity, BigDecimal::add);
                        buyPrices.computeIfAbsent(symbol, s -> new HashSet<>()).add(price.stripTrailingZeros());
                    } else {
                        cash = cash.add(amount);
                        held.merge(symbol, quantity.negate(), BigDecimal::add);
                        soldValueOverPrice.merge(symbol + "@" + price.toPlainString(), quantity, BigDecimal::add);
                    }
                }
                case "pending_approval" -> {
                    JsonNode request = pendingRequests.get(t.path("id").asText());
                    assertTrue(request != null, who + "trade awaiting approval without a pending request: " + t);
                    assertEquals(b.agentId(), request.path("agentId").asText(), who + request);
                    if (buy) {
                        reservedCash = reservedCash.add(amount);
                    }
                }
                default -> assertTrue(!pendingRequests.containsKey(t.path("id").asText()),
                        who + "a closed trade still has a pending request: " + t);
            }
        }
        for (JsonNode request : pendingRequests.values()) {
            if (request.path("agentId").asText().equals(b.agentId())) {
                JsonNode trade = b.trades().get(request.path("tradeId").asText());
                assertTrue(trade != null && trade.path("status").asText().equals("pending_approval"),
                        who + "a pending request whose trade is not awaiting approval: " + request + " / " + trade);
            }
        }

        JsonNode p = b.portfolio();
        assertAmount(who + "cash = budget - buys + sells", cash, p.path("cash"));
        assertAmount(who + "reserved cash = the buys awaiting approval", reservedCash, p.path("reservedCash"));
        assertAmount(who + "available = cash - reserved", cash.subtract(reservedCash), p.path("availableCash"));
        Map<String, BigDecimal> positions = new TreeMap<>();
        for (JsonNode pos : p.path("positions")) {
            BigDecimal q = E2e.decimal(pos.path("quantity"));
            if (q.signum() != 0) {
                positions.put(pos.path("symbol").asText(), q.stripTrailingZeros());
            }
            Set<BigDecimal> prices = buyPrices.getOrDefault(pos.path("symbol").asText(), Set.of());
            if (prices.size() == 1) {
                assertAmount(who + "average price of " + pos.path("symbol").asText(), prices.iterator().next(),
                        pos.path("averagePrice"));
            }
        }
        Map<String, BigDecimal> replayed = new TreeMap<>();
        held.forEach((s, q) -> {
            assertTrue(q.signum() >= 0, who + "sold more " + s + " than bought");
            if (q.signum() != 0) {
                replayed.put(s, q.stripTrailingZeros());
            }
        });
        assertEquals(replayed, positions, who + "positions = the replay of the executed trades");
        // realized P&L, where every buy of the symbol had one price (so the cost basis is that price)
        BigDecimal realized = ZERO;
        boolean knowable = true;
        for (Map.Entry<String, BigDecimal> sold : soldValueOverPrice.entrySet()) {
            String symbol = sold.getKey().substring(0, sold.getKey().indexOf('@'));
            BigDecimal sellPrice = new BigDecimal(sold.getKey().substring(sold.getKey().indexOf('@') + 1));
            Set<BigDecimal> prices = buyPrices.getOrDefault(symbol, Set.of());
            if (prices.size() != 1) {
                knowable = false;
                break;
            }
            realized = realized.add(sellPrice.subtract(prices.iterator().next()).multiply(sold.getValue()));
        }
        if (knowable) {
            assertAmount(who + "realized P&L of the sells", realized, p.path("realizedPnL"));
        }

        // every executed trade has its usage record, and nothing else counts as traded volume
        JsonNode executed = b.usage().path("byType").path("trade_executed");
        long count = executed.isMissingNode() ? 0 : executed.path("count").asLong();
        assertEquals(b.count("executed"), count, who + "one usage record per executed trade; usage " + b.usage());
        assertAmount(who + "usage volume = executed amounts", b.executedVolume(),
                executed.isMissingNode() ? ZERO_NODE : executed.path("amount"));
        if (quota != Quota.NOT_CHECKED) {
            BigDecimal used = b.executedVolume().add(quota == Quota.EXECUTED_AND_PENDING
                    ? b.sum("pending_approval", null) : ZERO);
            assertAmount(who + "quota used (" + quota + ")", used, b.usage().path("used"));
        }
    }

    private static void assertAmount(String what, BigDecimal expected, JsonNode actual) {
        BigDecimal a = actual.isMissingNode() || actual.isNull() ? null : E2e.decimal(actual);
        assertTrue(a != null && expected.compareTo(a) == 0, what + ": expected " + expected.toPlainString() + " but got "
                + actual);
    }
}
