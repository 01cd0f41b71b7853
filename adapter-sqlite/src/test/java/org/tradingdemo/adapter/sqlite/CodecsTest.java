package org.tradingdemo.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Money;

/** The column formats and the split of usage windows into record edges, whole days and whole months. */
class CodecsTest {

    @Test
    void instantsAreFixedWidthSoTextOrderIsTimeOrder() {
        Random random = new Random(7);
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-60_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000)));
        }
        instants.add(Instant.parse("1970-01-01T00:00:00Z"));
        instants.add(Instant.parse("2031-03-14T10:15:30.000000001Z"));
        for (Instant a : instants.subList(0, 200)) {
            for (Instant b : instants) {
                String ta = Columns.instant(a);
                String tb = Columns.instant(b);
                assertEquals(30, ta.length(), ta);
                assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(ta.compareTo(tb)), ta + " vs " + tb);
            }
            assertEquals(a, Columns.instant(Columns.instant(a)));
        }
        assertEquals("0001-01-01T00:00:00.000000000Z", Columns.instant(Instant.parse("0001-01-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> Columns.instant(Instant.parse("+10000-01-01T00:00:00Z")));
    }

    @Test
    void storedInstantsAreReadExactlyAsInstantParseReadsThem() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
            String text = Columns.instant(at);
            assertEquals(Instant.parse(text), Columns.instant(text), text);
        }
        // other ISO forms still read (the general parser), impossible dates still refused
        assertEquals(Instant.parse("2031-03-14T10:15:30Z"), Columns.instant("2031-03-14T10:15:30Z"));
        assertThrows(java.time.DateTimeException.class, () -> Columns.instant("2031-02-30T10:15:30.000000000Z"));
        assertThrows(java.time.DateTimeException.class, () -> Columns.instant("2031-13-14T10:15:30.000000000Z"));
        assertThrows(java.time.DateTimeException.class, () -> Columns.instant("2031-0x-14T10:15:30.000000000Z"));
    }

    @Test
    void moneyIsUsdPlainDecimalText() {
        assertEquals("999999.99", Columns.money(Money.usd("999999.99")));
        assertEquals("0.10", Columns.money(Money.usd("0.1")));
        assertEquals("1000000000000000.00", Columns.money(Money.usd("1E+15")));
        assertEquals(Money.usd("0.10"), Columns.money("0.10"));
        assertThrows(IllegalArgumentException.class, () -> Columns.money(Money.of(java.math.BigDecimal.ONE,
                Currency.getInstance("EUR"))));
    }

    @Test
    void flatJsonRoundTripsAnyStrings() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("tradeId", "t-1");
        map.put("quote", "she said \"hi\" \\o/");
        map.put("control", "line\nbreak\ttab\u0001\u001f");
        map.put("unicode", "héllo — 日本 \uD83D\uDE80");
        map.put("", "");

        String json = FlatJson.write(map);

        assertEquals(map, FlatJson.read(json));
        assertEquals("{}", FlatJson.write(Map.of()));
        assertEquals(Map.of(), FlatJson.read(" { } "));
        assertEquals(Map.of("a", "b/c"), FlatJson.read("{\"a\":\"b\\/c\"}"));
        assertTrue(json.startsWith("{\"\":\"\",\"control\""), "keys sorted: " + json);
        for (String bad : List.of("", "[]", "{\"a\":1}", "{\"a\":\"b\"", "{\"a\":\"b\"} x", "{\"a\":\"b\",\"a\":\"c\"}")) {
            assertThrows(RuntimeException.class, () -> FlatJson.read(bad), bad);
        }
    }

    @Test
    void aWindowSplitsIntoRecordEdgesAndWholeDays() {
        Instant jan15noon = Instant.parse("2032-01-15T12:00:00Z");
        Instant apr3noon = Instant.parse("2032-04-03T12:00:00Z");
        assertEquals(List.of(
                new SqliteUsageLedger.Records(jan15noon, Instant.parse("2032-01-16T00:00:00Z")),
                new SqliteUsageLedger.Days(LocalDate.parse("2032-01-16"), LocalDate.parse("2032-04-03")),
                new SqliteUsageLedger.Records(Instant.parse("2032-04-03T00:00:00Z"), apr3noon)),
                SqliteUsageLedger.split(jan15noon, apr3noon));

        Instant feb1 = Instant.parse("2032-02-01T00:00:00Z");
        assertEquals(List.of(new SqliteUsageLedger.Days(LocalDate.parse("2032-02-01"), LocalDate.parse("2032-02-02"))),
                SqliteUsageLedger.split(feb1, Instant.parse("2032-02-02T00:00:00Z")), "the quota's day: one piece");
        assertEquals(List.of(new SqliteUsageLedger.Days(LocalDate.parse("2032-02-01"), LocalDate.parse("2032-03-01"))),
                SqliteUsageLedger.split(feb1, Instant.parse("2032-03-01T00:00:00Z")), "the quota's month: its days");
        assertEquals(List.of(new SqliteUsageLedger.Records(feb1.plusSeconds(1), feb1.plusSeconds(86_401))),
                SqliteUsageLedger.split(feb1.plusSeconds(1), feb1.plusSeconds(86_401)), "a day long, not aligned");
        assertEquals(List.of(new SqliteUsageLedger.Records(feb1, feb1.plusNanos(1))),
                SqliteUsageLedger.split(feb1, feb1.plusNanos(1)));
    }
}
