package org.tradingdemo.domain.model;

import java.util.Objects;

/** Trading-volume limits of one agent per UTC day and per UTC month. */
public record QuotaLimits(Money daily, Money monthly) {

    public QuotaLimits {
        Objects.requireNonNull(daily, "daily");
        Objects.requireNonNull(monthly, "monthly");
        if (!daily.isPositive() || !monthly.isPositive()) {
            throw new IllegalArgumentException("quota limits must be greater than 0");
        }
    }

    public Money limitFor(UsagePeriod period) {
        return period == UsagePeriod.DAILY ? daily : monthly;
    }
}
