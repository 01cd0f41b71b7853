package org.tradingdemo.domain.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Quota windows, always in UTC: a calendar day or a calendar month. */
public enum UsagePeriod implements WireName {
    DAILY, MONTHLY;

    /** The window containing {@code at}: [start, resetAt). */
    public Window windowAt(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (this) {
            case DAILY -> new Window(this, day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            case MONTHLY -> new Window(this, day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    day.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        };
    }

    public static UsagePeriod parse(String value) {
        return WireName.parse(UsagePeriod.class, value, "period");
    }

    /** A half-open window [start, end); {@code end} is when the quota resets. */
    public record Window(UsagePeriod period, Instant start, Instant end) {
        public Window {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("window end must be after start");
            }
        }

        public boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }

        public Instant resetAt() {
            return end;
        }

        /** True when the window is exactly one UTC day (lets ledgers answer from daily totals). */
        public boolean isWholeUtcDay() {
            return start.equals(start.truncatedTo(ChronoUnit.DAYS)) && end.equals(start.plus(1, ChronoUnit.DAYS));
        }
    }
}
