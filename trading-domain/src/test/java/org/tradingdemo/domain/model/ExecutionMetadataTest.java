package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The compact metadata of an execution's usage row behaves as the immutable map it replaces. */
class ExecutionMetadataTest {

    private final Trade trade = ModelTestData.sell("t-1", Symbol.of("AAPL"), "10", "150.25")
            .execute(Instant.parse("2026-01-01T10:00:00Z"));
    private final UsageRecord record = UsageRecord.tradeExecuted(trade, Instant.parse("2026-01-01T10:00:00Z"));
    private final Map<String, String> expected = Map.of("tradeId", "t-1", "symbol", "AAPL", "side", "sell");

    @Test
    void holdsTheTradeSymbolAndSideAndEqualsTheSameEntriesInAnyMap() {
        Map<String, String> metadata = record.metadata();

        assertEquals(expected, metadata);
        assertEquals(metadata, expected);
        assertEquals(new HashMap<>(expected), metadata);
        assertEquals(expected.hashCode(), metadata.hashCode());
        assertEquals("sell", metadata.get("side"));
        assertNull(metadata.get("price"));
        assertTrue(metadata.containsKey("tradeId"));
        assertFalse(metadata.containsKey("price"));
        assertEquals(3, metadata.size());
        assertEquals(expected, Map.copyOf(metadata));
    }

    @Test
    void cannotBeChanged() {
        Map<String, String> metadata = record.metadata();

        assertThrows(UnsupportedOperationException.class, () -> metadata.put("side", "buy"));
        assertThrows(UnsupportedOperationException.class, () -> metadata.remove("side"));
        assertThrows(UnsupportedOperationException.class, metadata::clear);
        Iterator<Map.Entry<String, String>> entries = metadata.entrySet().iterator();
        Map.Entry<String, String> first = entries.next();
        assertThrows(UnsupportedOperationException.class, entries::remove);
        assertThrows(UnsupportedOperationException.class, () -> first.setValue("x"));
        assertThrows(UnsupportedOperationException.class, () -> metadata.keySet().remove("side"));
        assertThrows(UnsupportedOperationException.class, () -> metadata.values().clear());
        assertEquals(expected, metadata);
    }

    @Test
    void aUsageRecordKeepsItWithoutCopyingAndCopiesAnyOtherMap() {
        assertSame(record.metadata(), new UsageRecord(record.eventId(), record.agentId(), record.type(), record.amount(),
                record.occurredAt(), record.metadata()).metadata());
        Map<String, String> mutable = new HashMap<>(expected);
        UsageRecord copied = new UsageRecord("e-1", record.agentId(), record.type(), record.amount(), record.occurredAt(),
                mutable);
        mutable.put("side", "buy");
        assertEquals("sell", copied.metadata().get("side"));
    }
}
