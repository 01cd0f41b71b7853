package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {

    private static final Instant AT = Instant.parse("2025-03-10T12:00:00Z");

    @ParameterizedTest(name = "item ({0}s, {1}) after cursor (0s, m): {2}")
    @CsvSource({
            "-1, z, true",
            "-1, a, true",
            "-3600, m, true",
            "0, a, true",
            "0, l, true",
            "0, m, false",
            "0, n, false",
            "0, z, false",
            "1, a, false",
            "1, m, false"
    })
    void precedesMeansTheItemComesAfterTheCursorNewestFirst(long offsetSeconds, String id, boolean after) {
        PageCursor cursor = new PageCursor(AT, "m");
        assertEquals(after, cursor.precedes(AT.plusSeconds(offsetSeconds), id));
    }

    @Test
    void cursorSplitsANewestFirstListExactly() {
        record Item(Instant at, String id) {
        }
        List<Item> items = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            for (String id : List.of("a", "b", "c")) {
                items.add(new Item(AT.plusSeconds(s), id));
            }
        }
        items.sort(Comparator.comparing(Item::at).thenComparing(Item::id).reversed());
        for (int i = 0; i < items.size(); i++) {
            PageCursor cursor = new PageCursor(items.get(i).at(), items.get(i).id());
            for (int j = 0; j < items.size(); j++) {
                assertEquals(j > i, cursor.precedes(items.get(j).at(), items.get(j).id()), "cursor " + i + ", item " + j);
            }
        }
    }

    @Test
    void cursorRequiresTimeAndId() {
        assertThrows(NullPointerException.class, () -> new PageCursor(null, "a"));
        assertThrows(NullPointerException.class, () -> new PageCursor(AT, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 50, 199, 200})
    void limitBetweenOneAndTwoHundred(int limit) {
        assertEquals(limit, PageRequest.first(limit).limit());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 201, 1000})
    void limitOutOfBoundsIsRefused(int limit) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageRequest.first(limit));
        assertEquals("limit must be between 1 and 200", e.getMessage());
    }

    @Test
    void firstPageDefaults() {
        PageRequest first = PageRequest.firstPage();
        assertEquals(50, first.limit());
        assertEquals(Optional.empty(), first.after());
        assertEquals(Optional.empty(), new PageRequest(null, 10).after());
    }

    @Test
    void pageCopiesItsItems() {
        List<String> items = new ArrayList<>(List.of("a", "b"));
        Page<String> page = new Page<>(items, null);
        items.add("c");
        assertEquals(List.of("a", "b"), page.items());
        assertEquals(Optional.empty(), page.next());
        assertTrue(Page.<String>empty().items().isEmpty());
        assertEquals(Optional.empty(), Page.empty().next());
    }
}
