package org.tradingdemo.domain.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in one currency, always held at the currency's minor unit (cents for USD).
 *
 * <p>Rounding rule: values computed from prices and quantities are rounded to the minor unit with
 * {@link RoundingMode#HALF_EVEN} (banker's rounding, unbiased over many trades) by {@link #rounded}.
 * The canonical constructor refuses a value that would need rounding, so no cent is ever lost
 * silently.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

    public static final Currency USD = Currency.getInstance("USD");
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
    /** Large enough for any budget, amount or usage total of this service; guards against absurd input. */
    public static final BigDecimal MAX_ABS = new BigDecimal("1000000000000000");
    private static final Money ZERO_USD = new Money(BigDecimal.ZERO, USD);

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        int digits = currency.getDefaultFractionDigits();
        // fast path first: money made by this class already has exactly the right scale
        if (amount.scale() != digits) {
            if (amount.scale() > digits && amount.stripTrailingZeros().scale() > digits) {
                throw new IllegalArgumentException("money must have at most " + digits + " decimals: " + amount.toPlainString());
            }
            amount = amount.setScale(digits, RoundingMode.UNNECESSARY);
        }
        if (amount.abs().compareTo(MAX_ABS) > 0) {
            throw new IllegalArgumentException("money out of range: " + amount.toPlainString());
        }
    }

    public static Money usd(String amount) {
        return new Money(new BigDecimal(amount), USD);
    }

    public static Money usd(long amount) {
        return new Money(BigDecimal.valueOf(amount), USD);
    }

    public static Money of(BigDecimal amount, Currency currency) {
        return new Money(amount, currency);
    }

    /** Rounds a computed value to the currency's minor unit using {@link #ROUNDING}. */
    public static Money rounded(BigDecimal value, Currency currency) {
        return new Money(value.setScale(currency.getDefaultFractionDigits(), ROUNDING), currency);
    }

    public static Money zero(Currency currency) {
        // values are immutable: the common zero is shared
        return currency == USD ? ZERO_USD : new Money(BigDecimal.ZERO, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        if (other.amount.signum() == 0) {
            return this;
        }
        return new Money(amount.add(other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        if (other.amount.signum() == 0) {
            return this;
        }
        return new Money(amount.subtract(other.amount), currency);
    }

    /** Multiplies by a factor and rounds to the minor unit with {@link #ROUNDING}. */
    public Money times(BigDecimal factor) {
        return rounded(amount.multiply(factor), currency);
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public boolean isPositive() {
        return amount.signum() > 0;
    }

    public boolean isGreaterThan(Money other) {
        return compareTo(other) > 0;
    }

    public boolean isLessThan(Money other) {
        return compareTo(other) < 0;
    }

    public Money max(Money other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public Money min(Money other) {
        return compareTo(other) <= 0 ? this : other;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currency mismatch: " + currency + " vs " + other.currency);
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
