package org.tradingdemo.domain.model;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What each metered event costs: a fixed fee per event plus, for volume events, a rate on the
 * amount ({@code cost = count × perEvent + amount × volumeRate}, half-even to cents).
 */
public record CostPriceList(Map<UsageType, Money> perEvent, BigDecimal volumeRate) {

    public CostPriceList {
        perEvent = Map.copyOf(perEvent);
        Objects.requireNonNull(volumeRate, "volumeRate");
        if (volumeRate.signum() < 0) {
            throw new IllegalArgumentException("volumeRate must not be negative");
        }
    }

    /** The default list: $1.00 per agent, $0.01 per executed trade plus 0.01 % of volume, $0.25 per approval, API calls free. */
    public static CostPriceList defaults() {
        Map<UsageType, Money> fees = new EnumMap<>(UsageType.class);
        fees.put(UsageType.AGENT_CREATED, Money.usd("1.00"));
        fees.put(UsageType.TRADE_EXECUTED, Money.usd("0.01"));
        fees.put(UsageType.OVERSIGHT_REQUESTED, Money.usd("0.25"));
        fees.put(UsageType.API_CALL, Money.usd("0.00"));
        return new CostPriceList(fees, new BigDecimal("0.0001"));
    }

    public Money costOf(UsageType type, UsageTotals.Total total) {
        Money fee = perEvent.getOrDefault(type, Money.zero(Money.USD)).times(BigDecimal.valueOf(total.count()));
        Money volume = type == UsageType.TRADE_EXECUTED ? total.amount().times(volumeRate) : Money.zero(Money.USD);
        return fee.plus(volume);
    }

    public Money costOf(UsageTotals totals) {
        Money sum = Money.zero(Money.USD);
        for (Map.Entry<UsageType, UsageTotals.Total> e : totals.byType().entrySet()) {
            sum = sum.plus(costOf(e.getKey(), e.getValue()));
        }
        return sum;
    }
}
