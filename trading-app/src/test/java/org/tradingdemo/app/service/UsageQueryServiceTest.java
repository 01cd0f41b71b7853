package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.DAY_END;
import static org.tradingdemo.app.service.ServiceTestData.DAY_START;
import static org.tradingdemo.app.service.ServiceTestData.LIMITS;
import static org.tradingdemo.app.service.ServiceTestData.MONTH_END;
import static org.tradingdemo.app.service.ServiceTestData.MONTH_START;
import static org.tradingdemo.app.service.ServiceTestData.OTHER_AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.OWNER;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SETTINGS;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.executed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.port.in.CostReport;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.GetCostReportUseCase.CostQuery;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.app.port.in.UsageReport.TypeUsage;
import org.tradingdemo.app.port.in.UsageSummary;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * Figures use the default price list: $1.00 per agent created, $0.25 per approval request,
 * $0.01 per executed trade plus 0.01 % of its volume.
 */
@ExtendWith(MockitoExtension.class)
class UsageQueryServiceTest {

    @Mock AgentRepository agents;
    @Mock UsageLedger ledger;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) QuotaPort quota;

    private UsageQueryService service;

    /** Today: two trades worth 25,000, one approval request, the agent's creation. Costs 2.52 + 0.25 + 1.00. */
    private static final UsageTotals TODAY = new UsageTotals(Map.of(
            UsageType.TRADE_EXECUTED, new UsageTotals.Total(2, Money.usd("25000")),
            UsageType.OVERSIGHT_REQUESTED, new UsageTotals.Total(1, Money.usd("0")),
            UsageType.AGENT_CREATED, new UsageTotals.Total(1, Money.usd("0"))));

    @BeforeEach
    void wire() {
        service = new UsageQueryService(agents, ledger, quota, SETTINGS, CLOCK);
    }

    private static QuotaCheck status(UsagePeriod period, String used, String limit, Instant resetAt) {
        Money l = Money.usd(limit);
        Money u = Money.usd(used);
        return new QuotaCheck(u.compareTo(l) <= 0, period, u, l.minus(u).max(Money.zero(Money.USD)), l, resetAt);
    }

    @Test
    void anAgentsReportTakesTheQuotaFromMeteringAndTheBreakdownFromTheLedger() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        // metering counts 25,000 executed plus a 5,000 open reservation
        when(quota.status(AGENT_ID, LIMITS, UsagePeriod.DAILY))
                .thenReturn(status(UsagePeriod.DAILY, "30000", "100000", DAY_END));
        when(ledger.totals(AGENT_ID, DAY_START, DAY_END)).thenReturn(TODAY);

        UsageReport report = service.usage(OWNER_ACTOR, AGENT_ID, UsagePeriod.DAILY).orElseThrow();

        assertEquals(new UsageReport(AGENT_ID, UsagePeriod.DAILY, DAY_START, DAY_END, Money.usd("30000"),
                Money.usd("100000"), Money.usd("70000"), Map.of(
                UsageType.TRADE_EXECUTED, new TypeUsage(2, Money.usd("25000"), Money.usd("2.52")),
                UsageType.OVERSIGHT_REQUESTED, new TypeUsage(1, Money.usd("0"), Money.usd("0.25")),
                UsageType.AGENT_CREATED, new TypeUsage(1, Money.usd("0"), Money.usd("1.00"))),
                Money.usd("3.77")), report);
    }

    @Test
    void aMonthlyReportUsesTheMonthWindow() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        when(quota.status(AGENT_ID, LIMITS, UsagePeriod.MONTHLY))
                .thenReturn(status(UsagePeriod.MONTHLY, "25000", "2200000", MONTH_END));
        when(ledger.totals(AGENT_ID, MONTH_START, MONTH_END)).thenReturn(executed(2, "25000"));

        UsageReport report = service.usage(SUPERVISOR, AGENT_ID, UsagePeriod.MONTHLY).orElseThrow();

        assertEquals(MONTH_START, report.periodStart());
        assertEquals(MONTH_END, report.resetAt());
        assertEquals(Money.usd("2175000"), report.remaining());
    }

    @Test
    void remainingNeverGoesBelowZero() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        when(quota.status(AGENT_ID, LIMITS, UsagePeriod.DAILY))
                .thenReturn(status(UsagePeriod.DAILY, "100500", "100000", DAY_END));
        when(ledger.totals(AGENT_ID, DAY_START, DAY_END)).thenReturn(UsageTotals.empty());

        UsageReport report = service.usage(OWNER_ACTOR, AGENT_ID, UsagePeriod.DAILY).orElseThrow();

        assertEquals(Money.usd("0"), report.remaining());
        assertEquals(Money.usd("0"), report.cost());
    }

    @Test
    void anInvisibleAgentHasNoReportAndMeteringIsNotAsked() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        assertEquals(Optional.empty(), service.usage(STRANGER_ACTOR, AGENT_ID, UsagePeriod.DAILY));
        verifyNoInteractions(quota, ledger);
    }

    @Test
    void aSupervisorsSummaryCoversEveryKnownAgentSortedById() {
        AgentId ghost = AgentId.of("agent-0-deleted");
        when(ledger.totalsByAgent(DAY_START, DAY_END)).thenReturn(Map.of(
                OTHER_AGENT_ID, executed(1, "1000"),
                AGENT_ID, executed(2, "25000"),
                ghost, executed(1, "5")));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        when(agents.findById(OTHER_AGENT_ID)).thenReturn(Optional.of(agent(OTHER_AGENT_ID, STRANGER)));
        when(agents.findById(ghost)).thenReturn(Optional.empty());

        UsageSummary summary = service.summary(SUPERVISOR, UsagePeriod.DAILY);

        assertEquals(List.of(AGENT_ID, OTHER_AGENT_ID), summary.agents().stream().map(UsageReport::agentId).toList());
        UsageReport first = summary.agents().get(0);
        assertEquals(Money.usd("25000"), first.used());
        assertEquals(Money.usd("100000"), first.limit());
        assertEquals(Money.usd("75000"), first.remaining());
        // the unknown agent's usage is left out of the totals too
        assertEquals(Map.of(UsageType.TRADE_EXECUTED, new TypeUsage(3, Money.usd("26000"), Money.usd("2.63"))),
                summary.totals());
        assertEquals(Money.usd("2.63"), summary.totalCost());
        assertEquals(DAY_START, summary.periodStart());
        assertEquals(DAY_END, summary.resetAt());
        verifyNoInteractions(quota);
    }

    @Test
    void aTradersSummaryCoversOnlyTheirAgents() {
        when(ledger.totalsByAgent(DAY_START, DAY_END)).thenReturn(Map.of(
                AGENT_ID, executed(2, "25000"),
                OTHER_AGENT_ID, executed(1, "1000")));
        when(agents.idsOwnedBy(OWNER)).thenReturn(List.of(AGENT_ID));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        UsageSummary summary = service.summary(OWNER_ACTOR, UsagePeriod.DAILY);

        assertEquals(List.of(AGENT_ID), summary.agents().stream().map(UsageReport::agentId).toList());
        assertEquals(Money.usd("2.52"), summary.totalCost());
        verify(agents, never()).findById(OTHER_AGENT_ID);
    }

    @Test
    void costsDefaultToTheCurrentMonthAndAddUpPerAgentAndPerType() {
        when(ledger.totalsByAgent(MONTH_START, MONTH_END)).thenReturn(Map.of(
                OTHER_AGENT_ID, new UsageTotals(Map.of(
                        UsageType.OVERSIGHT_REQUESTED, new UsageTotals.Total(2, Money.usd("0")))),
                AGENT_ID, new UsageTotals(Map.of(
                        UsageType.AGENT_CREATED, new UsageTotals.Total(1, Money.usd("0")),
                        UsageType.TRADE_EXECUTED, new UsageTotals.Total(2, Money.usd("25000"))))));

        CostReport report = service.costs(new CostQuery(SUPERVISOR, Optional.empty(), Optional.empty()));

        assertEquals(new CostReport(MONTH_START, MONTH_END, List.of(
                new CostReport.AgentCost(AGENT_ID, Map.of(UsageType.AGENT_CREATED, Money.usd("1.00"),
                        UsageType.TRADE_EXECUTED, Money.usd("2.52")), Money.usd("3.52")),
                new CostReport.AgentCost(OTHER_AGENT_ID, Map.of(UsageType.OVERSIGHT_REQUESTED, Money.usd("0.50")),
                        Money.usd("0.50"))),
                Map.of(UsageType.AGENT_CREATED, Money.usd("1.00"), UsageType.TRADE_EXECUTED, Money.usd("2.52"),
                        UsageType.OVERSIGHT_REQUESTED, Money.usd("0.50")),
                Money.usd("4.02"), SETTINGS.prices()), report);
    }

    @Test
    void aTradersCostsCoverOnlyTheirAgents() {
        when(ledger.totalsByAgent(MONTH_START, MONTH_END)).thenReturn(Map.of(
                AGENT_ID, executed(1, "100"), OTHER_AGENT_ID, executed(1, "100")));
        when(agents.idsOwnedBy(OWNER)).thenReturn(List.of(AGENT_ID));

        CostReport report = service.costs(new CostQuery(OWNER_ACTOR, Optional.empty(), Optional.empty()));

        assertEquals(List.of(AGENT_ID), report.agents().stream().map(CostReport.AgentCost::agentId).toList());
        assertEquals(Money.usd("0.02"), report.total());
    }

    @Test
    void anExplicitRangeOfUpTo366DaysIsQueriedAsGiven() {
        Instant to = Instant.parse("2025-03-01T00:00:00Z");
        Instant from = to.minus(Duration.ofDays(366));
        when(ledger.totalsByAgent(from, to)).thenReturn(Map.of());

        CostReport report = service.costs(new CostQuery(SUPERVISOR, Optional.of(from), Optional.of(to)));

        assertEquals(from, report.from());
        assertEquals(to, report.to());
        assertEquals(Money.usd("0"), report.total());
    }

    @Test
    void aRangeLongerThan366DaysIsRefusedWithoutReadingTheLedger() {
        Instant to = Instant.parse("2025-03-01T00:00:00Z");
        Instant from = to.minus(Duration.ofDays(366)).minusSeconds(1);

        ValidationException e = assertThrows(ValidationException.class,
                () -> service.costs(new CostQuery(SUPERVISOR, Optional.of(from), Optional.of(to))));

        assertEquals(List.of("from"), e.errors().stream().map(FieldError::field).toList());
        verifyNoInteractions(ledger);
    }

    @Test
    void aFromAfterTheDefaultEndIsRefused() {
        // only `from` given: `to` defaults to the end of the current month, which is before it
        ValidationException e = assertThrows(ValidationException.class, () -> service.costs(
                new CostQuery(SUPERVISOR, Optional.of(Instant.parse("2025-05-01T00:00:00Z")), Optional.empty())));

        assertEquals(List.of(new FieldError("to", "to must be after from")), e.errors());
        verify(ledger, never()).totalsByAgent(any(), any());
    }
}
