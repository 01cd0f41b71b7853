package org.tradingdemo.adapter.grpc.metering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;

import com.google.protobuf.Timestamp;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.proto.metering.v1.Period;
import org.tradingdemo.proto.metering.v1.QuotaState;
import org.tradingdemo.proto.metering.v1.QuotaStatus;

/**
 * Conversions between the domain and creto.metering.v1, shared by the client and the server. Money
 * travels as an exact decimal string and is parsed with {@link BigDecimal} — never through a
 * {@code double}. Malformed input raises {@link IllegalArgumentException} naming the field.
 */
final class ProtoMapping {

    /** A plain decimal: optional minus, digits, optional fraction. No exponent, no grouping, no '+'. */
    /** At most this many digits before and after the point of a wire amount. */
    private static final int MAX_DIGITS = 18;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal WARNING_PERCENT = BigDecimal.valueOf(80);
    private static final BigDecimal CRITICAL_PERCENT = BigDecimal.valueOf(95);
    /** Protobuf's Timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private ProtoMapping() {
    }

    static org.tradingdemo.proto.metering.v1.Money money(Money money) {
        return org.tradingdemo.proto.metering.v1.Money.newBuilder()
                .setCurrencyCode(money.currency().getCurrencyCode())
                .setAmount(money.amount().toPlainString())
                .build();
    }

    /** Parses a wire money value; {@code field} names it in the error ({@code "amount"}, {@code "limits.daily"}). */
    static Money money(org.tradingdemo.proto.metering.v1.Money money, String field) {
        String code = money.getCurrencyCode();
        if (code.isEmpty()) {
            throw new IllegalArgumentException(field + ".currency_code is required (ISO 4217, e.g. \"USD\")");
        }
        Currency currency;
        try {
            if (!isCurrencyCode(code)) {
                throw new IllegalArgumentException(code);
            }
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ".currency_code is not an ISO 4217 code: \"" + clip(code) + "\"");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(field + ".currency_code has no minor unit: " + code);
        }
        String amount = money.getAmount();
        if (amount.isEmpty()) {
            throw new IllegalArgumentException(field + ".amount is required (a decimal string, e.g. \"1500.00\")");
        }
        if (!isPlainDecimal(amount)) {
            throw new IllegalArgumentException(field + ".amount must be a plain decimal string such as \"1500.00\", got \""
                    + clip(amount) + "\"");
        }
        try {
            return Money.of(new BigDecimal(amount), currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ".amount: " + e.getMessage());
        }
    }

    /** {@code [A-Z]{3}}, checked by hand: every reservation parses three money values, a regex each cost more than the rest. */
    static boolean isCurrencyCode(String code) {
        if (code.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = code.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    /** {@code -?[0-9]{1,18}(\.[0-9]{1,18})?}, checked by hand. */
    static boolean isPlainDecimal(String amount) {
        int i = amount.startsWith("-") ? 1 : 0;
        int integerDigits = 0;
        while (i < amount.length() && isDigit(amount.charAt(i))) {
            i++;
            integerDigits++;
        }
        if (integerDigits < 1 || integerDigits > MAX_DIGITS) {
            return false;
        }
        if (i == amount.length()) {
            return true;
        }
        if (amount.charAt(i) != '.') {
            return false;
        }
        int fractionDigits = amount.length() - i - 1;
        if (fractionDigits < 1 || fractionDigits > MAX_DIGITS) {
            return false;
        }
        for (int j = i + 1; j < amount.length(); j++) {
            if (!isDigit(amount.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static AgentId agentId(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("agent_id is required");
        }
        try {
            return AgentId.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("agent_id is invalid: " + e.getMessage());
        }
    }

    static Period period(UsagePeriod period) {
        return switch (period) {
            case DAILY -> Period.PERIOD_DAILY;
            case MONTHLY -> Period.PERIOD_MONTHLY;
        };
    }

    static UsagePeriod period(Period period) {
        return switch (period) {
            case PERIOD_DAILY -> UsagePeriod.DAILY;
            case PERIOD_MONTHLY -> UsagePeriod.MONTHLY;
            default -> throw new IllegalArgumentException("period must be PERIOD_DAILY or PERIOD_MONTHLY");
        };
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Instant instant(Timestamp timestamp, String field) {
        if (timestamp.getSeconds() < MIN_SECONDS || timestamp.getSeconds() > MAX_SECONDS
                || timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw new IllegalArgumentException(field + " is not a valid timestamp");
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** The wire status of one window. */
    static QuotaStatus status(AgentId agentId, UsagePeriod.Window window, Money used, Money limit) {
        return QuotaStatus.newBuilder()
                .setAgentId(agentId.value())
                .setPeriod(period(window.period()))
                .setUsed(money(used))
                .setLimit(money(limit))
                .setRemaining(money(limit.minus(used).max(Money.zero(limit.currency()))))
                .setUtilisationPercent(utilisationPercent(used, limit))
                .setPeriodStart(timestamp(window.start()))
                .setPeriodEnd(timestamp(window.end()))
                .setState(state(used, limit))
                .build();
    }

    static QuotaStatus status(AgentId agentId, QuotaCheck check, UsagePeriod.Window window) {
        return status(agentId, window, check.used(), check.limit());
    }

    /**
     * {@code used / limit × 100}, two decimals, truncated (never rounded up), so the figure shown
     * never claims a higher state than {@link #state} gives: 79.999 % reads "79.99", HEALTHY.
     */
    static String utilisationPercent(Money used, Money limit) {
        return used.amount().multiply(HUNDRED).divide(limit.amount(), 2, RoundingMode.DOWN).toPlainString();
    }

    /** From the exact ratio: under 80 % HEALTHY, under 95 % WARNING, under 100 % CRITICAL, else EXCEEDED. */
    static QuotaState state(Money used, Money limit) {
        BigDecimal usedPercentScaled = used.amount().multiply(HUNDRED);
        BigDecimal l = limit.amount();
        if (usedPercentScaled.compareTo(l.multiply(WARNING_PERCENT)) < 0) {
            return QuotaState.QUOTA_STATE_HEALTHY;
        }
        if (usedPercentScaled.compareTo(l.multiply(CRITICAL_PERCENT)) < 0) {
            return QuotaState.QUOTA_STATE_WARNING;
        }
        if (usedPercentScaled.compareTo(l.multiply(HUNDRED)) < 0) {
            return QuotaState.QUOTA_STATE_CRITICAL;
        }
        return QuotaState.QUOTA_STATE_EXCEEDED;
    }

    /**
     * The domain view of a wire status. {@code allowed} comes from the caller (the response's flag)
     * when there is one, else it is {@code used ≤ limit}, like the local quota's status.
     */
    static QuotaCheck check(QuotaStatus status, Boolean allowed) {
        if (!status.hasUsed() || !status.hasLimit() || !status.hasPeriodEnd()) {
            throw new IllegalArgumentException("quota status without used, limit or period_end");
        }
        Money used = money(status.getUsed(), "status.used");
        Money limit = money(status.getLimit(), "status.limit");
        Money remaining = status.hasRemaining() ? money(status.getRemaining(), "status.remaining")
                : limit.minus(used).max(Money.zero(limit.currency()));
        boolean ok = allowed != null ? allowed : used.compareTo(limit) <= 0;
        return new QuotaCheck(ok, period(status.getPeriod()), used, remaining, limit,
                instant(status.getPeriodEnd(), "status.period_end"));
    }

    private static String clip(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
