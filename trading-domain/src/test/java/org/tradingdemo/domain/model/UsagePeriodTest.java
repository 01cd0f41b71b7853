package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsagePeriodTest {

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @ParameterizedTest(name = "daily window of {0} is [{1}, {2})")
    @CsvSource({
            "2025-03-10T12:00:00Z, 2025-03-10T00:00:00Z, 2025-03-11T00:00:00Z",
            "2025-03-10T00:00:00Z, 2025-03-10T00:00:00Z, 2025-03-11T00:00:00Z",
            "2025-03-10T23:59:59.999Z, 2025-03-10T00:00:00Z, 2025-03-11T00:00:00Z",
            "2025-03-10T23:59:59.999999999Z, 2025-03-10T00:00:00Z, 2025-03-11T00:00:00Z",
            "2025-01-31T18:00:00Z, 2025-01-31T00:00:00Z, 2025-02-01T00:00:00Z",
            "2027-02-28T10:00:00Z, 2027-02-28T00:00:00Z, 2027-03-01T00:00:00Z",
            "2028-02-28T10:00:00Z, 2028-02-28T00:00:00Z, 2028-02-29T00:00:00Z",
            "2028-02-29T10:00:00Z, 2028-02-29T00:00:00Z, 2028-03-01T00:00:00Z",
            "2025-12-31T23:59:59Z, 2025-12-31T00:00:00Z, 2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z, 2026-01-01T00:00:00Z, 2026-01-02T00:00:00Z"
    })
    void dailyWindowIsTheUtcCalendarDay(String instant, String start, String end) {
        UsagePeriod.Window w = UsagePeriod.DAILY.windowAt(at(instant));
        assertEquals(UsagePeriod.DAILY, w.period());
        assertEquals(at(start), w.start());
        assertEquals(at(end), w.end());
        assertEquals(at(end), w.resetAt());
        assertTrue(w.contains(at(instant)));
        assertTrue(w.isWholeUtcDay());
    }

    @ParameterizedTest(name = "monthly window of {0} is [{1}, {2})")
    @CsvSource({
            "2025-03-10T12:00:00Z, 2025-03-01T00:00:00Z, 2025-04-01T00:00:00Z",
            "2025-01-31T23:59:59.999Z, 2025-01-01T00:00:00Z, 2025-02-01T00:00:00Z",
            "2025-02-01T00:00:00Z, 2025-02-01T00:00:00Z, 2025-03-01T00:00:00Z",
            "2027-02-28T23:59:59.999Z, 2027-02-01T00:00:00Z, 2027-03-01T00:00:00Z",
            "2028-02-28T12:00:00Z, 2028-02-01T00:00:00Z, 2028-03-01T00:00:00Z",
            "2028-02-29T23:59:59.999Z, 2028-02-01T00:00:00Z, 2028-03-01T00:00:00Z",
            "2028-03-01T00:00:00Z, 2028-03-01T00:00:00Z, 2028-04-01T00:00:00Z",
            "2025-04-30T23:00:00Z, 2025-04-01T00:00:00Z, 2025-05-01T00:00:00Z",
            "2025-12-31T23:59:59.999Z, 2025-12-01T00:00:00Z, 2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z, 2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z"
    })
    void monthlyWindowIsTheUtcCalendarMonth(String instant, String start, String end) {
        UsagePeriod.Window w = UsagePeriod.MONTHLY.windowAt(at(instant));
        assertEquals(UsagePeriod.MONTHLY, w.period());
        assertEquals(at(start), w.start());
        assertEquals(at(end), w.end());
        assertEquals(at(end), w.resetAt());
        assertTrue(w.contains(at(instant)));
        assertFalse(w.isWholeUtcDay());
    }

    @Test
    void lastMillisecondAndMidnightBelongToDifferentDays() {
        UsagePeriod.Window before = UsagePeriod.DAILY.windowAt(at("2025-03-10T23:59:59.999Z"));
        UsagePeriod.Window after = UsagePeriod.DAILY.windowAt(at("2025-03-11T00:00:00Z"));
        assertNotEquals(before, after);
        assertEquals(before.end(), after.start());
        assertFalse(before.contains(at("2025-03-11T00:00:00Z")));
        assertTrue(after.contains(at("2025-03-11T00:00:00Z")));
        assertFalse(after.contains(at("2025-03-10T23:59:59.999Z")));
    }

    @Test
    void monthEndsRollOver() {
        UsagePeriod.Window jan = UsagePeriod.MONTHLY.windowAt(at("2026-01-31T23:59:59.999Z"));
        UsagePeriod.Window feb = UsagePeriod.MONTHLY.windowAt(at("2026-02-01T00:00:00Z"));
        assertEquals(jan.end(), feb.start());
        assertNotEquals(jan, feb);

        UsagePeriod.Window dec = UsagePeriod.MONTHLY.windowAt(at("2025-12-31T23:59:59.999Z"));
        UsagePeriod.Window nextJan = UsagePeriod.MONTHLY.windowAt(at("2026-01-01T00:00:00Z"));
        assertEquals(at("2026-01-01T00:00:00Z"), dec.resetAt());
        assertEquals(dec.end(), nextJan.start());
    }

    @Test
    void februaryHas29DaysIn2028And28In2027() {
        assertEquals(Duration.ofDays(29), length(UsagePeriod.MONTHLY.windowAt(at("2028-02-15T00:00:00Z"))));
        assertEquals(Duration.ofDays(28), length(UsagePeriod.MONTHLY.windowAt(at("2027-02-15T00:00:00Z"))));
        assertEquals(Duration.ofDays(31), length(UsagePeriod.MONTHLY.windowAt(at("2028-01-15T00:00:00Z"))));
        assertEquals(Duration.ofDays(30), length(UsagePeriod.MONTHLY.windowAt(at("2028-04-15T00:00:00Z"))));
    }

    private static Duration length(UsagePeriod.Window w) {
        return Duration.between(w.start(), w.end());
    }

    @Test
    void windowsAreHalfOpen() {
        UsagePeriod.Window w = UsagePeriod.DAILY.windowAt(at("2025-03-10T12:00:00Z"));
        assertTrue(w.contains(w.start()));
        assertFalse(w.contains(w.end()));
        assertTrue(w.contains(w.end().minusNanos(1)));
        assertFalse(w.contains(w.start().minusNanos(1)));
    }

    @Test
    void wholeUtcDayMeansMidnightToMidnight() {
        assertTrue(new UsagePeriod.Window(UsagePeriod.DAILY, at("2025-03-10T00:00:00Z"), at("2025-03-11T00:00:00Z"))
                .isWholeUtcDay());
        assertFalse(new UsagePeriod.Window(UsagePeriod.DAILY, at("2025-03-10T12:00:00Z"), at("2025-03-11T12:00:00Z"))
                .isWholeUtcDay());
        assertFalse(new UsagePeriod.Window(UsagePeriod.DAILY, at("2025-03-10T00:00:00Z"), at("2025-03-12T00:00:00Z"))
                .isWholeUtcDay());
        assertFalse(new UsagePeriod.Window(UsagePeriod.DAILY, at("2025-03-10T00:00:00Z"), at("2025-03-10T23:59:59Z"))
                .isWholeUtcDay());
    }

    @Test
    void windowEndMustFollowStart() {
        Instant t = at("2025-03-10T00:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> new UsagePeriod.Window(UsagePeriod.DAILY, t, t));
        assertThrows(IllegalArgumentException.class,
                () -> new UsagePeriod.Window(UsagePeriod.DAILY, t, t.minusSeconds(1)));
    }
}
