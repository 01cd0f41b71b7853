package org.tradingdemo.app.port.in;

import java.time.Instant;
import java.util.Map;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageType;

/**
 * One agent's usage in the current window of a period: the quota ({@code used} counts executed
 * volume and open reservations), the breakdown per event type and what it costs.
 */
public record UsageReport(AgentId agentId, UsagePeriod period, Instant periodStart, Instant resetAt, Money used,
                          Money limit, Money remaining, Map<UsageType, TypeUsage> byType, Money cost) {

    public UsageReport {
        byType = Map.copyOf(byType);
    }

    public record TypeUsage(long count, Money amount, Money cost) {
    }
}
