package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer of a quota check: {@code allowed, used, remaining, limit, resetAt} for the window
 * that decided (the daily one unless the monthly one is the tighter).
 */
public record QuotaCheck(boolean allowed, UsagePeriod period, Money used, Money remaining, Money limit, Instant resetAt) {

    public QuotaCheck {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(resetAt, "resetAt");
    }
}
