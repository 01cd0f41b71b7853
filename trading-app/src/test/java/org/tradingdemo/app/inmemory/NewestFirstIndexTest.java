package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;

/** The index keys entries by the values themselves; a page seeks with a cursor probe. */
class NewestFirstIndexTest {

    private record Row(Instant at, String id, String version) {
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final NewestFirstIndex<Row> index = new NewestFirstIndex<>(Row::at, Row::id);

    private Page<Row> page(Optional<PageCursor> after, int limit) {
        return index.page(new PageRequest(after, limit), r -> true, List.of(), r -> false);
    }

    @Test
    void pagesNewestFirstThenByIdAndSeeksPastTheCursor() {
        Row a = new Row(T0, "a", "1");
        Row b = new Row(T0, "b", "1");
        Row c = new Row(T0.plusSeconds(1), "c", "1");
        index.add(a);
        index.add(c);
        index.add(b);

        Page<Row> first = page(Optional.empty(), 2);
        assertEquals(List.of(c, b), first.items());
        assertEquals(Optional.of(new PageCursor(T0, "b")), first.next());
        assertEquals(List.of(a), page(first.next(), 2).items());
    }

    @Test
    void aNewVersionAtTheSamePositionReplacesTheOldOneEvenWithoutARemove() {
        Row old = new Row(T0, "a", "old");
        Row current = new Row(T0, "a", "new");
        index.add(old);
        index.add(current);

        assertEquals(List.of(current), page(Optional.empty(), 10).items());
        index.remove(old); // same position: removes the entry, whichever version holds it
        assertEquals(List.of(), page(Optional.empty(), 10).items());
    }

    @Test
    void stagedValuesReplaceTheirCommittedVersionsInAPage() {
        Row committed = new Row(T0, "a", "committed");
        Row other = new Row(T0.plusSeconds(1), "b", "committed");
        index.add(committed);
        index.add(other);
        Row staged = new Row(T0, "a", "staged");

        Page<Row> page = index.page(PageRequest.first(10), r -> true, List.of(staged), r -> r.id().equals("a"));

        assertEquals(List.of(other, staged), page.items());
    }

    @Test
    void valuesAddedInAnyOrderPageLikeASortOfAllOfThem() {
        java.util.Random random = new java.util.Random(11);
        java.util.List<Row> all = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // coarse times (many ties broken by id) in random order: most adds land before the end
            Row row = new Row(T0.plusSeconds(random.nextInt(60)), String.format("r%03d", i), "1");
            all.add(row);
            index.add(row);
        }
        all.sort(java.util.Comparator.comparing(Row::at).thenComparing(Row::id).reversed());

        java.util.List<Row> walked = new java.util.ArrayList<>();
        Optional<PageCursor> cursor = Optional.empty();
        do {
            Page<Row> page = page(cursor, 7);
            walked.addAll(page.items());
            cursor = page.next();
        } while (cursor.isPresent());
        assertEquals(all, walked);
        // a cursor between stored positions (just newer than the tenth) seeks to the next older entry
        Row tenth = all.get(10);
        assertEquals(all.subList(11, 14), page(Optional.of(new PageCursor(tenth.at(), tenth.id())), 3).items());
        assertEquals(List.of(tenth), page(Optional.of(new PageCursor(tenth.at(), tenth.id() + "0")), 1).items());
    }

    @Test
    void updateKeepsTheSlotOfTheSamePositionAndMovesAValueThatChangedPosition() {
        Row a = new Row(T0, "a", "1");
        Row b = new Row(T0.plusSeconds(1), "b", "1");
        Row c = new Row(T0.plusSeconds(2), "c", "1");
        index.add(a);
        index.add(b);
        index.add(c);

        Row b2 = new Row(b.at(), "b", "2");
        index.update(Optional.of(b), b2);
        assertEquals(List.of(c, b2, a), page(Optional.empty(), 10).items());

        Row aMoved = new Row(T0.plusSeconds(3), "a", "3");
        index.update(Optional.of(a), aMoved);
        assertEquals(List.of(aMoved, c, b2), page(Optional.empty(), 10).items());

        index.remove(c);
        index.remove(new Row(T0.plusSeconds(9), "zz", "absent")); // nothing there: nothing happens
        assertEquals(List.of(aMoved, b2), page(Optional.empty(), 10).items());
        index.update(Optional.empty(), c);
        assertEquals(List.of(aMoved, c, b2), page(Optional.empty(), 10).items());
    }
}
