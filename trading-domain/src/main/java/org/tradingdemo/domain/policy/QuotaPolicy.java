package org.tradingdemo.domain.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;

/**
 * The trading-volume quota: the amount of every executed trade, buys and sells, counts against a
 * daily and a monthly limit (UTC windows). The daily limit defaults to the agent's budget; the
 * monthly limit to {@value #DEFAULT_MONTHLY_MULTIPLIER} daily limits (about the trading days of a
 * month). Crossing {@code 80 %} of a window raises one {@code quota:warning} per window.
 */
public final class QuotaPolicy {

    public static final int DEFAULT_MONTHLY_MULTIPLIER = 22;
    public static final BigDecimal WARNING_RATIO = new BigDecimal("0.80");

    private final BigDecimal dailyMultiplier;
    private final int monthlyMultiplier;
    /** The limits last computed, by budget: agents rarely change budget, and every trade asks twice. */
    private volatile Computed last;

    private record Computed(Money budget, QuotaLimits limits) {
    }

    /**
     * @param dailyMultiplier   daily limit = budget × this (1 by default)
     * @param monthlyMultiplier monthly limit = daily limit × this
     */
    public QuotaPolicy(BigDecimal dailyMultiplier, int monthlyMultiplier) {
        this.dailyMultiplier = Objects.requireNonNull(dailyMultiplier, "dailyMultiplier");
        if (dailyMultiplier.signum() <= 0 || monthlyMultiplier < 1) {
            throw new IllegalArgumentException("quota multipliers must be positive");
        }
        this.monthlyMultiplier = monthlyMultiplier;
    }

    public static QuotaPolicy withDefaults() {
        return new QuotaPolicy(BigDecimal.ONE, DEFAULT_MONTHLY_MULTIPLIER);
    }

    public QuotaLimits limitsFor(Agent agent) {
        Money budget = agent.config().budget();
        Computed cached = last;
        if (cached != null && cached.budget().equals(budget)) {
            return cached.limits();
        }
        Money daily = budget.times(dailyMultiplier);
        QuotaLimits limits = new QuotaLimits(daily, daily.times(BigDecimal.valueOf(monthlyMultiplier)));
        last = new Computed(budget, limits);
        return limits;
    }

    /**
     * Checks one window: allowed when {@code used + amount ≤ limit}.
     *
     * @param used everything already counted in the window, including open reservations
     */
    public static QuotaCheck check(UsagePeriod.Window window, Money used, Money amount, Money limit) {
        boolean allowed = used.plus(amount).compareTo(limit) <= 0;
        Money remaining = limit.minus(used).max(Money.zero(limit.currency()));
        return new QuotaCheck(allowed, window.period(), used, remaining, limit, window.resetAt());
    }

    /**
     * Combines the daily and monthly checks: refused if either refuses; otherwise the window with
     * less room left is reported.
     */
    public static QuotaCheck tighter(QuotaCheck daily, QuotaCheck monthly) {
        if (!daily.allowed()) {
            return daily;
        }
        if (!monthly.allowed()) {
            return monthly;
        }
        return monthly.remaining().isLessThan(daily.remaining()) ? monthly : daily;
    }

    /** True exactly when usage moves from below 80 % of the limit to at or above it. */
    public static boolean crossesWarning(Money before, Money after, Money limit) {
        Money mark = limit.times(WARNING_RATIO);
        return before.isLessThan(mark) && !after.isLessThan(mark);
    }

    /** Convenience for reports: the window of {@code period} containing {@code now}. */
    public static UsagePeriod.Window window(UsagePeriod period, Instant now) {
        return period.windowAt(now);
    }
}
