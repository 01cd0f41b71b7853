package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CostReport;
import org.tradingdemo.app.port.in.GetAgentUsageUseCase;
import org.tradingdemo.app.port.in.GetCostReportUseCase;
import org.tradingdemo.app.port.in.GetUsageSummaryUseCase;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.app.port.in.UsageSummary;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.CostPriceList;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * Usage and cost reports. An agent's report takes its quota figures from {@link QuotaPort} (so it
 * shows exactly what the quota enforces, open reservations included) and its breakdown from the
 * ledger; the aggregate views read the ledger only.
 */
public final class UsageQueryService implements GetAgentUsageUseCase, GetUsageSummaryUseCase, GetCostReportUseCase {

    /** Cost reports span at most this long, so one request cannot scan the whole history. */
    static final java.time.Duration MAX_COST_RANGE = java.time.Duration.ofDays(366);

    private final AgentRepository agents;
    private final UsageLedger ledger;
    private final QuotaPort quota;
    private final TradingSettings settings;
    private final Clock clock;

    public UsageQueryService(AgentRepository agents, UsageLedger ledger, QuotaPort quota, TradingSettings settings,
                             Clock clock) {
        this.agents = agents;
        this.ledger = ledger;
        this.quota = quota;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Optional<UsageReport> usage(Actor actor, AgentId agentId, UsagePeriod period) {
        Optional<Agent> agent = agents.findById(agentId).filter(actor::canSee);
        if (agent.isEmpty()) {
            return Optional.empty();
        }
        UsagePeriod.Window window = period.windowAt(clock.instant());
        QuotaCheck status = quota.status(agentId, settings.quotaPolicy().limitsFor(agent.get()), period);
        UsageTotals totals = ledger.totals(agentId, window.start(), window.end());
        return Optional.of(report(agentId, window, status.used(), status.limit(), totals));
    }

    @Override
    public UsageSummary summary(Actor actor, UsagePeriod period) {
        UsagePeriod.Window window = period.windowAt(clock.instant());
        List<UsageReport> reports = new ArrayList<>();
        UsageTotals all = UsageTotals.empty();
        for (Map.Entry<AgentId, UsageTotals> e : visibleTotals(actor, window.start(), window.end()).entrySet()) {
            Optional<Agent> agent = agents.findById(e.getKey());
            if (agent.isEmpty()) {
                continue;
            }
            QuotaLimits limits = settings.quotaPolicy().limitsFor(agent.get());
            Money used = e.getValue().of(UsageType.TRADE_EXECUTED).amount();
            reports.add(report(e.getKey(), window, used, limits.limitFor(period), e.getValue()));
            all = all.plus(e.getValue());
        }
        reports.sort(Comparator.comparing(r -> r.agentId().value()));
        Map<UsageType, UsageReport.TypeUsage> totals = byType(all);
        return new UsageSummary(period, window.start(), window.resetAt(), reports, totals,
                settings.prices().costOf(all));
    }

    @Override
    public CostReport costs(CostQuery query) {
        Instant now = clock.instant();
        UsagePeriod.Window month = UsagePeriod.MONTHLY.windowAt(now);
        Instant from = query.from().orElse(month.start());
        Instant to = query.to().orElse(month.end());
        if (!from.isBefore(to)) {
            throw ValidationException.of("to", "to must be after from");
        }
        if (java.time.Duration.between(from, to).compareTo(MAX_COST_RANGE) > 0) {
            throw ValidationException.of("from", "the range may span at most 366 days");
        }
        CostPriceList prices = settings.prices();
        List<CostReport.AgentCost> perAgent = new ArrayList<>();
        Map<UsageType, Money> byType = new EnumMap<>(UsageType.class);
        Money total = Money.zero(Money.USD);
        for (Map.Entry<AgentId, UsageTotals> e : visibleTotals(query.actor(), from, to).entrySet()) {
            Map<UsageType, Money> agentCosts = new EnumMap<>(UsageType.class);
            e.getValue().byType().forEach((type, t) -> agentCosts.put(type, prices.costOf(type, t)));
            Money agentTotal = prices.costOf(e.getValue());
            agentCosts.forEach((type, cost) -> byType.merge(type, cost, Money::plus));
            perAgent.add(new CostReport.AgentCost(e.getKey(), agentCosts, agentTotal));
            total = total.plus(agentTotal);
        }
        perAgent.sort(Comparator.comparing(c -> c.agentId().value()));
        return new CostReport(from, to, perAgent, byType, total, prices);
    }

    private Map<AgentId, UsageTotals> visibleTotals(Actor actor, Instant from, Instant to) {
        Map<AgentId, UsageTotals> all = ledger.totalsByAgent(from, to);
        if (actor.seesAll()) {
            return all;
        }
        Map<AgentId, UsageTotals> mine = new java.util.HashMap<>();
        for (AgentId id : agents.idsOwnedBy(actor.userId())) {
            UsageTotals t = all.get(id);
            if (t != null) {
                mine.put(id, t);
            }
        }
        return mine;
    }

    private UsageReport report(AgentId agentId, UsagePeriod.Window window, Money used, Money limit, UsageTotals totals) {
        Money remaining = limit.minus(used).max(Money.zero(limit.currency()));
        return new UsageReport(agentId, window.period(), window.start(), window.resetAt(), used, limit, remaining,
                byType(totals), settings.prices().costOf(totals));
    }

    private Map<UsageType, UsageReport.TypeUsage> byType(UsageTotals totals) {
        Map<UsageType, UsageReport.TypeUsage> out = new EnumMap<>(UsageType.class);
        totals.byType().forEach((type, t) ->
                out.put(type, new UsageReport.TypeUsage(t.count(), t.amount(), settings.prices().costOf(type, t))));
        return out;
    }
}
