package org.tradingdemo.domain.model;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metadata of a {@code trade_executed} usage row ({@code tradeId}, {@code symbol}, {@code side})
 * read from the executed trade instead of kept in a general map: the in-memory ledger keeps one per
 * executed trade for as long as the process lives, and the trade is kept anyway. Immutable (the trade
 * is) and equal to any map with the same three entries.
 */
final class ExecutionMetadata extends AbstractMap<String, String> {

    private final Trade trade;

    ExecutionMetadata(Trade trade) {
        this.trade = Objects.requireNonNull(trade, "trade");
    }

    @Override
    public String get(Object key) {
        if ("tradeId".equals(key)) {
            return trade.id().value();
        }
        if ("symbol".equals(key)) {
            return trade.symbol().value();
        }
        return "side".equals(key) ? trade.side().wireName() : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return 3;
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    /** Built on demand (reads are rare): an immutable set in a fixed order. */
    @Override
    public Set<Entry<String, String>> entrySet() {
        List<Entry<String, String>> entries = List.of(Map.entry("tradeId", trade.id().value()),
                Map.entry("symbol", trade.symbol().value()), Map.entry("side", trade.side().wireName()));
        return new java.util.AbstractSet<>() {
            @Override
            public java.util.Iterator<Entry<String, String>> iterator() {
                return entries.iterator(); // List.of: remove() is unsupported
            }

            @Override
            public int size() {
                return 3;
            }
        };
    }
}
