package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.T1;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CostPriceList, UsageTotals, UsageRecord, QuotaLimits, RiskAssessment and RiskLevel. */
class MeteringValuesTest {

    private static UsageTotals.Total total(long count, String amount) {
        return new UsageTotals.Total(count, Money.usd(amount));
    }

    // ---------------------------------------------------------------- CostPriceList

    @Test
    void defaultPriceList() {
        CostPriceList list = CostPriceList.defaults();
        assertEquals(Money.usd("1.00"), list.perEvent().get(UsageType.AGENT_CREATED));
        assertEquals(Money.usd("0.01"), list.perEvent().get(UsageType.TRADE_EXECUTED));
        assertEquals(Money.usd("0.25"), list.perEvent().get(UsageType.OVERSIGHT_REQUESTED));
        assertEquals(Money.usd("0.00"), list.perEvent().get(UsageType.API_CALL));
        assertEquals(0, new BigDecimal("0.0001").compareTo(list.volumeRate()));
    }

    @ParameterizedTest(name = "{0} × {1} events, volume {2} → {3}")
    @CsvSource({
            "AGENT_CREATED, 3, 0.00, 3.00",
            "AGENT_CREATED, 0, 0.00, 0.00",
            "OVERSIGHT_REQUESTED, 2, 0.00, 0.50",
            "OVERSIGHT_REQUESTED, 3, 0.00, 0.75",
            "API_CALL, 100000, 0.00, 0.00",
            "TRADE_EXECUTED, 2, 1500.00, 0.17",
            "TRADE_EXECUTED, 1, 12345.67, 1.24",
            "TRADE_EXECUTED, 1, 50.00, 0.01",
            "TRADE_EXECUTED, 1, 150.00, 0.03",
            "TRADE_EXECUTED, 0, 0.00, 0.00",
            "TRADE_EXECUTED, 100, 1000000.00, 101.00",
            "AGENT_CREATED, 1, 5000.00, 1.00"
    })
    void costIsCountTimesFeePlusVolumeRateForTrades(UsageType type, long count, String amount, String expected) {
        assertEquals(Money.usd(expected), CostPriceList.defaults().costOf(type, total(count, amount)));
    }

    @Test
    void costOfTotalsSumsEveryType() {
        Map<UsageType, UsageTotals.Total> byType = new EnumMap<>(UsageType.class);
        byType.put(UsageType.AGENT_CREATED, total(1, "0"));            // 1.00
        byType.put(UsageType.TRADE_EXECUTED, total(3, "10000.00"));    // 0.03 + 1.00
        byType.put(UsageType.OVERSIGHT_REQUESTED, total(2, "0"));      // 0.50
        byType.put(UsageType.API_CALL, total(1000, "0"));              // 0
        assertEquals(Money.usd("2.53"), CostPriceList.defaults().costOf(new UsageTotals(byType)));
        assertEquals(Money.zero(Money.USD), CostPriceList.defaults().costOf(UsageTotals.empty()));
    }

    @Test
    void unlistedTypesCostNothingPerEvent() {
        CostPriceList list = new CostPriceList(Map.of(UsageType.AGENT_CREATED, Money.usd("2.00")), BigDecimal.ZERO);
        assertEquals(Money.zero(Money.USD), list.costOf(UsageType.API_CALL, total(50, "0")));
        assertEquals(Money.zero(Money.USD), list.costOf(UsageType.TRADE_EXECUTED, total(5, "9999.99")));
        assertEquals(Money.usd("4.00"), list.costOf(UsageType.AGENT_CREATED, total(2, "0")));
    }

    @Test
    void volumeRateMustNotBeNegative() {
        assertThrows(IllegalArgumentException.class, () -> new CostPriceList(Map.of(), new BigDecimal("-0.0001")));
        assertThrows(NullPointerException.class, () -> new CostPriceList(Map.of(), null));
    }

    // ---------------------------------------------------------------- UsageTotals

    @Test
    void totalsAddPerType() {
        UsageTotals a = new UsageTotals(Map.of(
                UsageType.TRADE_EXECUTED, total(2, "1500.00"),
                UsageType.API_CALL, total(10, "0")));
        UsageTotals b = new UsageTotals(Map.of(
                UsageType.TRADE_EXECUTED, total(1, "0.01"),
                UsageType.AGENT_CREATED, total(1, "0")));
        UsageTotals sum = a.plus(b);
        assertEquals(total(3, "1500.01"), sum.of(UsageType.TRADE_EXECUTED));
        assertEquals(total(10, "0"), sum.of(UsageType.API_CALL));
        assertEquals(total(1, "0"), sum.of(UsageType.AGENT_CREATED));
        assertEquals(UsageTotals.Total.ZERO, sum.of(UsageType.OVERSIGHT_REQUESTED));
        assertEquals(3, sum.byType().size());
        assertEquals(sum, b.plus(a));
    }

    @Test
    void emptyIsTheNeutralElement() {
        UsageTotals a = new UsageTotals(Map.of(UsageType.TRADE_EXECUTED, total(2, "1500.00")));
        assertEquals(a, UsageTotals.empty().plus(a));
        assertEquals(a, a.plus(UsageTotals.empty()));
        assertEquals(new UsageTotals.Total(0, Money.zero(Money.USD)), UsageTotals.empty().of(UsageType.API_CALL));
    }

    @Test
    void totalsAreImmutable() {
        Map<UsageType, UsageTotals.Total> source = new EnumMap<>(UsageType.class);
        source.put(UsageType.API_CALL, total(1, "0"));
        UsageTotals totals = new UsageTotals(source);
        source.put(UsageType.API_CALL, total(99, "0"));
        assertEquals(total(1, "0"), totals.of(UsageType.API_CALL));
        assertThrows(UnsupportedOperationException.class, () -> totals.byType().clear());
        assertThrows(UnsupportedOperationException.class, () -> totals.byType().put(UsageType.API_CALL, total(2, "0")));
        assertThrows(UnsupportedOperationException.class, () -> totals.byType().remove(UsageType.API_CALL));
        assertThrows(UnsupportedOperationException.class,
                () -> totals.byType().entrySet().iterator().next().setValue(total(2, "0")));
        assertThrows(NullPointerException.class, () -> new UsageTotals(java.util.Collections.singletonMap(
                UsageType.API_CALL, null)));
    }

    @Test
    void totalsReadLikeAMapOrderedByType() {
        UsageTotals totals = new UsageTotals(Map.of(UsageType.API_CALL, total(4, "0"),
                UsageType.AGENT_CREATED, total(1, "0"), UsageType.TRADE_EXECUTED, total(2, "3.00")));
        Map<UsageType, UsageTotals.Total> expected = new EnumMap<>(UsageType.class);
        expected.put(UsageType.AGENT_CREATED, total(1, "0"));
        expected.put(UsageType.TRADE_EXECUTED, total(2, "3.00"));
        expected.put(UsageType.API_CALL, total(4, "0"));

        assertEquals(expected, totals.byType());
        assertEquals(totals.byType(), expected);
        assertEquals(expected.hashCode(), totals.byType().hashCode());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(totals.byType().keySet()));
        assertEquals(expected.toString(), totals.byType().toString());
        assertEquals(total(2, "3.00"), totals.byType().get(UsageType.TRADE_EXECUTED));
        assertEquals(null, totals.byType().get(UsageType.OVERSIGHT_REQUESTED));
        assertEquals(null, totals.byType().get("trade_executed"));
        assertEquals(false, totals.byType().containsKey(UsageType.OVERSIGHT_REQUESTED));
        assertEquals(totals, new UsageTotals(expected));
        assertEquals(0, UsageTotals.empty().byType().size());
    }

    // ---------------------------------------------------------------- UsageRecord

    @Test
    void tradeExecutedRecordIsKeyedByTradeAndCarriesTheAmount() {
        Trade t = ModelTestData.buy("t-7", "10", "150").execute(T1);
        UsageRecord r = UsageRecord.tradeExecuted(t, T1);
        assertEquals("t-7", r.eventId());
        assertSame(t.id().value(), r.eventId(), "the ledger keeps no second copy of the trade id");
        assertEquals(AGENT, r.agentId());
        assertEquals(UsageType.TRADE_EXECUTED, r.type());
        assertEquals(Money.usd("1500.00"), r.amount());
        assertEquals(T1, r.occurredAt());
        assertEquals(Map.of("tradeId", "t-7", "symbol", "AAPL", "side", "buy"), r.metadata());
    }

    @Test
    void otherRecordsCarryNoAmount() {
        Agent agent = ModelTestData.agent();
        UsageRecord created = UsageRecord.agentCreated(agent);
        assertEquals("agent_created:agent-1", created.eventId());
        assertEquals(Money.zero(Money.USD), created.amount());
        assertEquals(agent.createdAt(), created.occurredAt());

        OversightRequest req = OversightRequest.open(OversightRequestId.of("req-1"),
                ModelTestData.buy("t-8", "1", "60000"), RiskAssessment.autonomous(RiskLevel.MEDIUM), T0,
                Duration.ofMinutes(5));
        UsageRecord requested = UsageRecord.oversightRequested(req);
        assertEquals("oversight_requested:req-1", requested.eventId());
        assertEquals(UsageType.OVERSIGHT_REQUESTED, requested.type());
        assertEquals(Map.of("tradeId", "t-8"), requested.metadata());
    }

    @Test
    void recordValidation() {
        assertThrows(IllegalArgumentException.class,
                () -> new UsageRecord(" ", AGENT, UsageType.API_CALL, Money.zero(Money.USD), T0, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new UsageRecord(null, AGENT, UsageType.API_CALL, Money.zero(Money.USD), T0, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new UsageRecord("e", AGENT, UsageType.API_CALL, Money.usd("-0.01"), T0, Map.of()));
    }

    // ---------------------------------------------------------------- QuotaLimits

    @Test
    void quotaLimitsPerPeriod() {
        QuotaLimits limits = new QuotaLimits(Money.usd(1000), Money.usd(22000));
        assertEquals(Money.usd(1000), limits.limitFor(UsagePeriod.DAILY));
        assertEquals(Money.usd(22000), limits.limitFor(UsagePeriod.MONTHLY));
        assertThrows(IllegalArgumentException.class, () -> new QuotaLimits(Money.zero(Money.USD), Money.usd(1)));
        assertThrows(IllegalArgumentException.class, () -> new QuotaLimits(Money.usd(1), Money.usd("-1")));
    }

    // ---------------------------------------------------------------- RiskAssessment / RiskLevel

    @Test
    void riskAssessmentSummary() {
        assertEquals("manual review requested", RiskAssessment.autonomous(RiskLevel.LOW).summary());
        assertEquals("a; b", new RiskAssessment(RiskLevel.HIGH, true, List.of("a", "b")).summary());
        RiskAssessment autonomous = RiskAssessment.autonomous(RiskLevel.MEDIUM);
        assertEquals(RiskLevel.MEDIUM, autonomous.level());
        assertEquals(false, autonomous.requiresApproval());
        assertEquals(List.of(), autonomous.reasons());
    }

    @ParameterizedTest
    @CsvSource({"LOW, LOW, LOW", "LOW, MEDIUM, MEDIUM", "MEDIUM, LOW, MEDIUM", "HIGH, MEDIUM, HIGH", "LOW, HIGH, HIGH",
            "HIGH, HIGH, HIGH"})
    void riskLevelMax(RiskLevel a, RiskLevel b, RiskLevel expected) {
        assertEquals(expected, a.max(b));
    }
}
