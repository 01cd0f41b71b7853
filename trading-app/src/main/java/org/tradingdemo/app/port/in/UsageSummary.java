package org.tradingdemo.app.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageType;

/** Usage of every agent the actor may see, in the current window of a period, with totals. */
public record UsageSummary(UsagePeriod period, Instant periodStart, Instant resetAt, List<UsageReport> agents,
                           Map<UsageType, UsageReport.TypeUsage> totals, Money totalCost) {

    public UsageSummary {
        agents = List.copyOf(agents);
        totals = Map.copyOf(totals);
    }
}
