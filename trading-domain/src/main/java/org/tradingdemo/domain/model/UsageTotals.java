package org.tradingdemo.domain.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Counts and amounts per usage type over some window. */
public record UsageTotals(Map<UsageType, Total> byType) {

    public UsageTotals {
        // an EnumMap copy: cheaper than Map.copyOf on the per-trade quota path, and ordered by type
        EnumMap<UsageType, Total> copy = new EnumMap<>(UsageType.class);
        copy.putAll(byType); // from an EnumMap (as plus builds it) an array copy
        byType = Collections.unmodifiableMap(copy);
    }

    private static final UsageType[] TYPES = UsageType.values();
    private static final UsageTotals EMPTY = new UsageTotals(Map.of());

    public static UsageTotals empty() {
        return EMPTY;
    }

    public Total of(UsageType type) {
        return byType.getOrDefault(type, Total.ZERO);
    }

    public UsageTotals plus(UsageTotals other) {
        if (other.byType.isEmpty()) {
            return this;
        }
        if (byType.isEmpty()) {
            return other;
        }
        // by type, without iterators: this runs for every trade's ledger aggregates
        EnumMap<UsageType, Total> sum = new EnumMap<>(UsageType.class);
        for (UsageType type : TYPES) {
            Total mine = byType.get(type);
            Total theirs = other.byType.get(type);
            if (mine != null || theirs != null) {
                sum.put(type, mine == null ? theirs : theirs == null ? mine : mine.plus(theirs));
            }
        }
        return new UsageTotals(sum);
    }

    public record Total(long count, Money amount) {
        public static final Total ZERO = new Total(0, Money.zero(Money.USD));

        public Total plus(Total other) {
            return new Total(count + other.count, amount.plus(other.amount));
        }
    }
}
