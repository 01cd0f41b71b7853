package org.tradingdemo.domain.model;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metadata of a {@code trade_executed} usage row ({@code tradeId}, {@code symbol}, {@code side})
 * as three fields instead of a general map: the in-memory ledger keeps one per executed trade for as
 * long as the process lives. Immutable and equal to any map with the same three entries.
 */
final class ExecutionMetadata extends AbstractMap<String, String> {

    private final String tradeId;
    private final String symbol;
    private final String side;

    ExecutionMetadata(String tradeId, String symbol, String side) {
        this.tradeId = Objects.requireNonNull(tradeId, "tradeId");
        this.symbol = Objects.requireNonNull(symbol, "symbol");
        this.side = Objects.requireNonNull(side, "side");
    }

    @Override
    public String get(Object key) {
        if ("tradeId".equals(key)) {
            return tradeId;
        }
        if ("symbol".equals(key)) {
            return symbol;
        }
        return "side".equals(key) ? side : null;
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
        List<Entry<String, String>> entries = List.of(Map.entry("tradeId", tradeId), Map.entry("symbol", symbol),
                Map.entry("side", side));
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
