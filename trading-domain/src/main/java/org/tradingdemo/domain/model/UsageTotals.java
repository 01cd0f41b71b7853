package org.tradingdemo.domain.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Counts and amounts per usage type over some window. */
public record UsageTotals(Map<UsageType, Total> byType) {

    public UsageTotals {
        // an EnumMap copy: cheaper than Map.copyOf on the per-trade quota path, and ordered by type
        EnumMap<UsageType, Total> copy = new EnumMap<>(UsageType.class);
        copy.putAll(byType);
        byType = Collections.unmodifiableMap(copy);
    }

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
        Map<UsageType, Total> sum = new EnumMap<>(UsageType.class);
        sum.putAll(byType);
        other.byType.forEach((type, total) -> sum.merge(type, total, Total::plus));
        return new UsageTotals(sum);
    }

    public record Total(long count, Money amount) {
        public static final Total ZERO = new Total(0, Money.zero(Money.USD));

        public Total plus(Total other) {
            return new Total(count + other.count, amount.plus(other.amount));
        }
    }
}
