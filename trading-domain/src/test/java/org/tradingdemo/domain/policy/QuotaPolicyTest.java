package org.tradingdemo.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.agent;
import static org.tradingdemo.domain.model.ModelTestData.config;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.UsagePeriod;

class QuotaPolicyTest {

    private static final UsagePeriod.Window DAY = UsagePeriod.DAILY.windowAt(T0);
    private static final UsagePeriod.Window MONTH = UsagePeriod.MONTHLY.windowAt(T0);

    private static Money usd(String amount) {
        return Money.usd(amount);
    }

    // ---------------------------------------------------------------- limits

    @ParameterizedTest(name = "budget {0} → daily {1}, monthly {2}")
    @CsvSource({
            "1000, 1000.00, 22000.00",
            "2500.50, 2500.50, 55011.00",
            "1000000, 1000000.00, 22000000.00"
    })
    void defaultLimitsAreBudgetPerDayAnd22DaysPerMonth(String budget, String daily, String monthly) {
        QuotaLimits limits = QuotaPolicy.withDefaults().limitsFor(agent(config(budget, Strategy.BALANCED, RiskTolerance.LOW)));
        assertEquals(usd(daily), limits.daily());
        assertEquals(usd(monthly), limits.monthly());
        assertEquals(usd(daily), limits.limitFor(UsagePeriod.DAILY));
        assertEquals(usd(monthly), limits.limitFor(UsagePeriod.MONTHLY));
    }

    @Test
    void customMultipliers() {
        QuotaPolicy policy = new QuotaPolicy(new BigDecimal("0.5"), 10);
        QuotaLimits limits = policy.limitsFor(agent(config("1000.01", Strategy.BALANCED, RiskTolerance.LOW)));
        assertEquals(usd("500.00"), limits.daily()); // 500.005 half-even
        assertEquals(usd("5000.00"), limits.monthly());
        QuotaLimits doubled = new QuotaPolicy(new BigDecimal("2"), 1)
                .limitsFor(agent(config("1000", Strategy.BALANCED, RiskTolerance.LOW)));
        assertEquals(usd("2000.00"), doubled.daily());
        assertEquals(usd("2000.00"), doubled.monthly());
    }

    @Test
    void multipliersMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new QuotaPolicy(BigDecimal.ZERO, 22));
        assertThrows(IllegalArgumentException.class, () -> new QuotaPolicy(new BigDecimal("-1"), 22));
        assertThrows(IllegalArgumentException.class, () -> new QuotaPolicy(BigDecimal.ONE, 0));
        assertThrows(NullPointerException.class, () -> new QuotaPolicy(null, 22));
    }

    // ---------------------------------------------------------------- check

    @ParameterizedTest(name = "used {0} + {1} within {2}: {3}, remaining {4}")
    @CsvSource({
            "0.00, 1000.00, 1000.00, true, 1000.00",
            "900.00, 100.00, 1000.00, true, 100.00",
            "900.00, 100.01, 1000.00, false, 100.00",
            "999.99, 0.01, 1000.00, true, 0.01",
            "999.99, 0.02, 1000.00, false, 0.01",
            "1000.00, 0.01, 1000.00, false, 0.00",
            "0.00, 1000.01, 1000.00, false, 1000.00",
            "1200.00, 0.01, 1000.00, false, 0.00",
            "1000.00, 0.00, 1000.00, true, 0.00"
    })
    void allowedUpToExactlyTheLimit(String used, String amount, String limit, boolean allowed, String remaining) {
        QuotaCheck check = QuotaPolicy.check(DAY, usd(used), usd(amount), usd(limit));
        assertEquals(allowed, check.allowed());
        assertEquals(usd(remaining), check.remaining());
        assertFalse(check.remaining().isNegative(), "remaining never negative");
        assertEquals(usd(used), check.used());
        assertEquals(usd(limit), check.limit());
        assertEquals(UsagePeriod.DAILY, check.period());
        assertEquals(DAY.resetAt(), check.resetAt());
    }

    @Test
    void checkReportsTheWindowItWasAskedFor() {
        QuotaCheck monthly = QuotaPolicy.check(MONTH, usd("0"), usd("1"), usd("22000"));
        assertEquals(UsagePeriod.MONTHLY, monthly.period());
        assertEquals(Instant.parse("2025-04-01T00:00:00Z"), monthly.resetAt());
        assertEquals(Instant.parse("2025-03-11T00:00:00Z"), QuotaPolicy.check(DAY, usd("0"), usd("1"), usd("1")).resetAt());
    }

    // ---------------------------------------------------------------- tighter

    private static QuotaCheck daily(boolean allowed, String remaining) {
        return new QuotaCheck(allowed, UsagePeriod.DAILY, usd("0"), usd(remaining), usd("1000"), DAY.resetAt());
    }

    private static QuotaCheck monthly(boolean allowed, String remaining) {
        return new QuotaCheck(allowed, UsagePeriod.MONTHLY, usd("0"), usd(remaining), usd("22000"), MONTH.resetAt());
    }

    @Test
    void tighterPicksTheRefusingWindow() {
        QuotaCheck dRefused = daily(false, "5000");
        QuotaCheck mAllowed = monthly(true, "10");
        assertSame(dRefused, QuotaPolicy.tighter(dRefused, mAllowed));

        QuotaCheck dAllowed = daily(true, "10");
        QuotaCheck mRefused = monthly(false, "5000");
        assertSame(mRefused, QuotaPolicy.tighter(dAllowed, mRefused));

        QuotaCheck bothD = daily(false, "1");
        assertSame(bothD, QuotaPolicy.tighter(bothD, monthly(false, "0")), "daily reported when both refuse");
    }

    @ParameterizedTest(name = "daily remaining {0}, monthly remaining {1} → {2}")
    @CsvSource({
            "500.00, 300.00, MONTHLY",
            "300.00, 500.00, DAILY",
            "300.00, 300.00, DAILY",
            "0.01, 0.00, MONTHLY"
    })
    void whenBothAllowTighterPicksTheLessRoomLeft(String dailyRemaining, String monthlyRemaining, UsagePeriod expected) {
        QuotaCheck picked = QuotaPolicy.tighter(daily(true, dailyRemaining), monthly(true, monthlyRemaining));
        assertEquals(expected, picked.period());
        assertTrue(picked.allowed());
    }

    @Test
    void endToEndTighterAcrossRealChecks() {
        Money amount = usd("100");
        QuotaCheck d = QuotaPolicy.check(DAY, usd("100"), amount, usd("1000"));
        QuotaCheck m = QuotaPolicy.check(MONTH, usd("21950"), amount, usd("22000"));
        QuotaCheck decided = QuotaPolicy.tighter(d, m);
        assertFalse(decided.allowed());
        assertEquals(UsagePeriod.MONTHLY, decided.period());
        assertEquals(usd("50.00"), decided.remaining());
    }

    // ---------------------------------------------------------------- warning

    @ParameterizedTest(name = "{0} → {1} of {2}: crosses {3}")
    @CsvSource({
            "0.00, 799.99, 1000.00, false",
            "799.99, 800.00, 1000.00, true",
            "0.00, 800.00, 1000.00, true",
            "700.00, 1200.00, 1000.00, true",
            "799.99, 799.99, 1000.00, false",
            "800.00, 800.00, 1000.00, false",
            "800.00, 900.00, 1000.00, false",
            "800.01, 1000.00, 1000.00, false",
            "900.00, 1100.00, 1000.00, false",
            "0.00, 0.00, 1000.00, false",
            "0.00, 800.01, 1000.01, true",
            "0.00, 800.00, 1000.01, false"
    })
    void warningFiresWhenCrossingEightyPercent(String before, String after, String limit, boolean crosses) {
        assertEquals(crosses, QuotaPolicy.crossesWarning(usd(before), usd(after), usd(limit)));
    }

    @Test
    void warningFiresExactlyOnceOverAClimbingWindow() {
        Money limit = usd("1000");
        Money used = Money.zero(Money.USD);
        int warnings = 0;
        Money firedAt = null;
        for (int i = 0; i < 15; i++) {
            Money next = used.plus(usd("100"));
            if (QuotaPolicy.crossesWarning(used, next, limit)) {
                warnings++;
                firedAt = next;
            }
            used = next;
        }
        assertEquals(1, warnings);
        assertEquals(usd("800.00"), firedAt);
    }

    @ParameterizedTest
    @EnumSource(UsagePeriod.class)
    void windowIsThePeriodWindowAtNow(UsagePeriod period) {
        assertEquals(period.windowAt(T0), QuotaPolicy.window(period, T0));
    }
}
