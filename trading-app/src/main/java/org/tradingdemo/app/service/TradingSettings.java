package org.tradingdemo.app.service;

import java.time.Duration;
import java.util.Objects;

import org.tradingdemo.domain.model.CostPriceList;
import org.tradingdemo.domain.policy.QuotaPolicy;

/**
 * The knobs of the trade flow that are not ports.
 *
 * @param approvalTtl how long a request waits for a human before it expires (default 15 minutes)
 */
public record TradingSettings(Duration approvalTtl, QuotaPolicy quotaPolicy, CostPriceList prices) {

    public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(15);

    public TradingSettings {
        Objects.requireNonNull(approvalTtl, "approvalTtl");
        Objects.requireNonNull(quotaPolicy, "quotaPolicy");
        Objects.requireNonNull(prices, "prices");
        if (approvalTtl.isNegative() || approvalTtl.isZero()) {
            throw new IllegalArgumentException("approvalTtl must be positive");
        }
    }

    public static TradingSettings defaults() {
        return new TradingSettings(DEFAULT_APPROVAL_TTL, QuotaPolicy.withDefaults(), CostPriceList.defaults());
    }

    public TradingSettings withApprovalTtl(Duration ttl) {
        return new TradingSettings(ttl, quotaPolicy, prices);
    }
}
