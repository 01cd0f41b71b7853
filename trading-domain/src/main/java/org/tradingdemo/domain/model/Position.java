package org.tradingdemo.domain.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A holding of one symbol. The cost basis is kept as a total in cents rather than as an average
 * price, so a complete round trip realises exactly {@code proceeds − cost} with no drift.
 *
 * @param costBasis what the units still held cost, in total
 * @param lastPrice the price of this agent's last execution in the symbol; the fallback market price
 */
public record Position(Symbol symbol, Quantity quantity, Money costBasis, Price lastPrice) {

    /** Scale of the derived average price. */
    public static final int AVERAGE_PRICE_SCALE = 8;

    public Position {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(costBasis, "costBasis");
        Objects.requireNonNull(lastPrice, "lastPrice");
        if (costBasis.isNegative()) {
            throw new IllegalArgumentException("costBasis must not be negative");
        }
    }

    /** Weighted average cost per unit: {@code costBasis / quantity}, 8 decimals, half-even. */
    public BigDecimal averagePrice() {
        BigDecimal average = costBasis.amount().divide(quantity.value(), AVERAGE_PRICE_SCALE, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        // stripTrailingZeros turns 100 into 1E+2; keep a plain decimal like Quantity and Price do
        return average.scale() < 0 ? average.setScale(0) : average;
    }

    public Position add(Quantity bought, Money cost, Price price) {
        return new Position(symbol, quantity.plus(bought), costBasis.plus(cost), price);
    }

    /**
     * The cost basis attributed to {@code sold} units: proportional, rounded half-even to cents;
     * selling everything attributes the whole remaining basis.
     */
    public Money costOf(Quantity sold) {
        int cmp = sold.compareTo(quantity);
        if (cmp > 0) {
            throw new IllegalArgumentException("cannot sell " + sold + " of " + quantity + " " + symbol);
        }
        if (cmp == 0) {
            return costBasis;
        }
        // one rounding, from the exact quotient: rounding to 10 decimals first could land on a half cent and
        // then round the wrong way (double rounding)
        return Money.of(costBasis.amount().multiply(sold.value()).divide(quantity.value(),
                costBasis.currency().getDefaultFractionDigits(), Money.ROUNDING), costBasis.currency());
    }

    /** What is left after selling {@code sold} units; null-free: returns empty when nothing remains. */
    public java.util.Optional<Position> remove(Quantity sold, Price price) {
        Money cost = costOf(sold);
        BigDecimal left = quantity.value().subtract(sold.value());
        if (left.signum() == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Position(symbol, new Quantity(left), costBasis.minus(cost), price));
    }

    public Money marketValue(Price current) {
        return Money.rounded(quantity.value().multiply(current.value()), costBasis.currency());
    }
}
