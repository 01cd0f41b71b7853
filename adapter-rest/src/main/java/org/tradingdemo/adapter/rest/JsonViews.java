package org.tradingdemo.adapter.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.tradingdemo.app.port.in.CostReport;
import org.tradingdemo.app.port.in.PageCursors;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.app.port.in.UsageSummary;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PortfolioValuation;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.UsageType;

/**
 * The response shapes of docs/HTTP-API-SPEC.md, built from domain values. Ordered maps rather than
 * Jackson-annotated records so the field order, the names and the explicit {@code null}s read
 * exactly as the spec does. Decimals go through {@link JsonSupport#plain} (1500, 0.3), enums
 * through their wire name, instants as ISO-8601 UTC strings, and an empty Optional as {@code null}.
 */
public final class JsonViews {

    private JsonViews() {
    }

    public static Map<String, Object> agent(Agent a) {
        AgentConfig c = a.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("budget", money(c.budget()));
        config.put("strategy", c.strategy().wireName());
        config.put("riskTolerance", c.riskTolerance().wireName());
        config.put("maxPositionSize", c.maxPositionSize().map(JsonViews::money).orElse(null));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().value());
        m.put("name", a.name());
        m.put("type", Agent.TYPE);
        m.put("status", a.status().wireName());
        m.put("config", config);
        m.put("userId", a.userId().value());
        m.put("createdAt", instant(a.createdAt()));
        m.put("updatedAt", instant(a.updatedAt()));
        return m;
    }

    /** Never shows the trade's quota reservation handle: that is infrastructure, not API. */
    public static Map<String, Object> trade(Trade t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id().value());
        m.put("agentId", t.agentId().value());
        m.put("clientOrderId", t.clientOrderId().map(id -> id.value()).orElse(null));
        m.put("symbol", t.symbol().value());
        m.put("side", t.side().wireName());
        m.put("quantity", JsonSupport.plain(t.quantity().value()));
        m.put("price", JsonSupport.plain(t.price().value()));
        m.put("type", t.type().wireName());
        m.put("status", t.status().wireName());
        m.put("amount", money(t.amount()));
        m.put("submittedAt", instant(t.submittedAt()));
        m.put("executedAt", instant(t.executedAt()));
        m.put("cancelledAt", instant(t.cancelledAt()));
        m.put("reason", t.reason().orElse(null));
        return m;
    }

    public static Map<String, Object> oversightRequest(OversightRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().value());
        m.put("tradeId", r.tradeId().value());
        m.put("agentId", r.agentId().value());
        m.put("reason", r.reason());
        m.put("riskLevel", r.riskLevel().wireName());
        m.put("status", r.status().wireName());
        m.put("createdAt", instant(r.createdAt()));
        m.put("expiresAt", instant(r.expiresAt()));
        m.put("processedAt", instant(r.processedAt()));
        m.put("processedBy", r.processedBy().map(u -> u.value()).orElse(null));
        m.put("comment", r.comment().orElse(null));
        return m;
    }

    /** The 202 answer of a trade that waits for a human. */
    public static Map<String, Object> pendingTrade(Trade trade, OversightRequest request) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trade", trade(trade));
        m.put("oversightRequest", oversightRequest(request));
        return m;
    }

    /** The answer of an approve or reject. */
    public static Map<String, Object> decision(OversightRequest request, Trade trade) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request", oversightRequest(request));
        m.put("trade", trade(trade));
        return m;
    }

    public static Map<String, Object> portfolio(PortfolioValuation p) {
        List<Map<String, Object>> positions = new ArrayList<>();
        for (PortfolioValuation.PositionValue v : p.positions()) {
            Map<String, Object> pos = new LinkedHashMap<>();
            pos.put("symbol", v.symbol().value());
            pos.put("quantity", JsonSupport.plain(v.quantity().value()));
            pos.put("averagePrice", JsonSupport.plain(v.averagePrice()));
            pos.put("currentPrice", JsonSupport.plain(v.currentPrice().value()));
            pos.put("marketValue", money(v.marketValue()));
            pos.put("unrealizedPnL", money(v.unrealizedPnL()));
            positions.add(pos);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentId", p.agentId().value());
        m.put("cash", money(p.cash()));
        m.put("reservedCash", money(p.reservedCash()));
        m.put("availableCash", money(p.availableCash()));
        m.put("positions", positions);
        m.put("realizedPnL", money(p.realizedPnL()));
        m.put("unrealizedPnL", money(p.unrealizedPnL()));
        m.put("totalValue", money(p.totalValue()));
        return m;
    }

    public static Map<String, Object> usage(UsageReport u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentId", u.agentId().value());
        m.put("period", u.period().wireName());
        m.put("periodStart", instant(u.periodStart()));
        m.put("resetAt", instant(u.resetAt()));
        m.put("used", money(u.used()));
        m.put("limit", money(u.limit()));
        m.put("remaining", money(u.remaining()));
        m.put("byType", typeUsages(u.byType()));
        m.put("cost", money(u.cost()));
        return m;
    }

    public static Map<String, Object> usageSummary(UsageSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period", s.period().wireName());
        m.put("periodStart", instant(s.periodStart()));
        m.put("resetAt", instant(s.resetAt()));
        m.put("agents", s.agents().stream().map(JsonViews::usage).toList());
        m.put("totals", typeUsages(s.totals()));
        m.put("totalCost", money(s.totalCost()));
        return m;
    }

    public static Map<String, Object> costs(CostReport r) {
        List<Map<String, Object>> agents = new ArrayList<>();
        for (CostReport.AgentCost a : r.agents()) {
            Map<String, Object> agent = new LinkedHashMap<>();
            agent.put("agentId", a.agentId().value());
            agent.put("byType", byType(a.byType(), JsonViews::money));
            agent.put("total", money(a.total()));
            agents.add(agent);
        }
        Map<String, Object> prices = new LinkedHashMap<>();
        prices.put("perEvent", byType(r.prices().perEvent(), JsonViews::money));
        prices.put("volumeRate", JsonSupport.plain(r.prices().volumeRate()));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", instant(r.from()));
        m.put("to", instant(r.to()));
        m.put("agents", agents);
        m.put("byType", byType(r.byType(), JsonViews::money));
        m.put("total", money(r.total()));
        m.put("prices", prices);
        return m;
    }

    public static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().value());
        m.put("severity", a.severity().wireName());
        m.put("type", a.type());
        m.put("message", a.message());
        m.put("agentId", a.agentId().map(id -> id.value()).orElse(null));
        m.put("createdAt", instant(a.createdAt()));
        m.put("acknowledgedAt", instant(a.acknowledgedAt()));
        m.put("acknowledgedBy", a.acknowledgedBy().map(u -> u.value()).orElse(null));
        return m;
    }

    /** {@code {"items":[...],"nextCursor":"..."|null}}. */
    public static <T> Map<String, Object> page(Page<T> page, Function<T, Map<String, Object>> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(view).toList());
        m.put("nextCursor", page.next().map(PageCursors::encode).orElse(null));
        return m;
    }

    /** Money on the wire: its amount as a plain decimal without trailing zeros (the API is USD only). */
    public static BigDecimal money(Money money) {
        return JsonSupport.plain(money.amount());
    }

    public static String instant(Instant at) {
        return at.toString();
    }

    public static String instant(Optional<Instant> at) {
        return at.map(Instant::toString).orElse(null);
    }

    private static Map<String, Object> typeUsages(Map<UsageType, UsageReport.TypeUsage> byType) {
        return byType(byType, t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", t.count());
            m.put("amount", money(t.amount()));
            m.put("cost", money(t.cost()));
            return m;
        });
    }

    /** Keys are wire names, in the enum's order, so the document is the same on every call. */
    private static <V> Map<String, Object> byType(Map<UsageType, V> values, Function<V, Object> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().ordinal()))
                .forEach(e -> m.put(e.getKey().wireName(), view.apply(e.getValue())));
        return m;
    }
}
