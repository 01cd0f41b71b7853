package org.tradingdemo.adapter.sqlite;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

import org.tradingdemo.domain.model.Money;

/**
 * How domain values become column values and back. One place, so every table stores a kind of
 * value the same way:
 *
 * <ul>
 *   <li><b>Instants</b>: fixed-width ISO-8601 UTC text with nine fractional digits
 *       ({@code 2031-03-14T10:15:30.000000000Z}). Every value has the same length, so the text order
 *       (BINARY collation) is the time order and an index on the column serves time ranges and
 *       newest-first pages; nanoseconds survive. Years 0000 to 9999 only.</li>
 *   <li><b>Money</b>: USD only, its amount as plain decimal text at two decimals ({@code 1500.00}).
 *       Never REAL: a binary float cannot hold 0.10 exactly.</li>
 *   <li><b>Quantities and prices</b>: their canonical plain decimal text ({@code 0.00012345}).</li>
 * </ul>
 */
final class Columns {

    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Columns() {
    }

    static String instant(Instant at) {
        if (at.isBefore(MIN) || at.isAfter(MAX)) {
            throw new IllegalArgumentException("instant " + at + " is outside the storable years 0000-9999");
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(30);
        pad(s, t.getYear(), 4).append('-');
        pad(s, t.getMonthValue(), 2).append('-');
        pad(s, t.getDayOfMonth(), 2).append('T');
        pad(s, t.getHour(), 2).append(':');
        pad(s, t.getMinute(), 2).append(':');
        pad(s, t.getSecond(), 2).append('.');
        pad(s, t.getNano(), 9).append('Z');
        return s.toString();
    }

    static String instantOrNull(Optional<Instant> at) {
        return at.map(Columns::instant).orElse(null);
    }

    /**
     * Reads what {@link #instant(Instant)} wrote. The fixed-width form is decoded digit by digit
     * ({@code Instant.parse} and its formatter were a visible share of every row read); anything else
     * goes to {@code Instant.parse}.
     */
    static Instant instant(String text) {
        if (text.length() != 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(29) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nano = digits(text, 20, 29);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nano < 0) {
            return Instant.parse(text);
        }
        // LocalDateTime.of validates the fields (month 13, 30 February ... throw as Instant.parse does)
        return LocalDateTime.of(year, month, day, hour, minute, second, nano).toInstant(ZoneOffset.UTC);
    }

    /** The decimal value of text[from, to), or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static Optional<Instant> optionalInstant(String text) {
        return text == null ? Optional.empty() : Optional.of(instant(text));
    }

    /** The UTC day of an instant as {@code YYYY-MM-DD}, the key of the daily usage totals. */
    static String day(LocalDate day) {
        return day.toString();
    }

    /** The UTC month as {@code YYYY-MM}, the key of the monthly usage totals. */
    static String month(YearMonth month) {
        return month.toString();
    }

    static String money(Money money) {
        if (!Money.USD.equals(money.currency())) {
            throw new IllegalArgumentException("the SQLite store holds USD amounts only, not " + money);
        }
        return money.amount().toPlainString();
    }

    static String moneyOrNull(Optional<Money> money) {
        return money.map(Columns::money).orElse(null);
    }

    static Money money(String text) {
        return Money.usd(text);
    }

    static String decimal(BigDecimal value) {
        return value.toPlainString();
    }

    static String textOrNull(Optional<?> value) {
        return value.map(Object::toString).orElse(null);
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(digits);
    }
}
