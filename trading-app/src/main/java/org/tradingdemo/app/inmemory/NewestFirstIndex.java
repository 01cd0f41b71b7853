package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;

/**
 * Committed values sorted newest first by (time, id), so a keyset page is a seek plus a short walk
 * instead of a sort of the whole table. Maintained by a table's commit listener.
 */
final class NewestFirstIndex<V> {

    /** A position to seek to (a page cursor); values are their own keys, so nothing else is kept per entry. */
    private record Probe(Instant at, String id) {
    }

    private final Function<V, Instant> time;
    private final Function<V, String> id;
    /** Newest first, then by id descending; compares values and probes alike. */
    private final Comparator<Object> newestFirst = (a, b) -> {
        int byTime = timeOf(b).compareTo(timeOf(a));
        return byTime != 0 ? byTime : idOf(b).compareTo(idOf(a));
    };
    private final ConcurrentSkipListMap<Object, V> entries = new ConcurrentSkipListMap<>(newestFirst);

    NewestFirstIndex(Function<V, Instant> time, Function<V, String> id) {
        this.time = time;
        this.id = id;
    }

    /** Adds a value, or replaces the entry of the same (time, id). */
    void add(V value) {
        V previous = entries.put(value, value);
        if (previous != null && previous != value) {
            // the map kept the earlier key object (the old version): make the new value the key too
            entries.remove(value);
            entries.put(value, value);
        }
    }

    void remove(V value) {
        entries.remove(value);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * One page of the committed entries matching {@code filter}, merged with the caller's staged
     * values (which replace their committed versions).
     *
     * @param staged   the caller's staged values of this table (read-your-writes)
     * @param shadowed true for a committed value the caller has staged a new version of
     */
    Page<V> page(PageRequest request, Predicate<? super V> filter, Collection<V> staged,
                 Predicate<? super V> shadowed) {
        int wanted = request.limit() + 1;
        Map<Object, V> tail = request.after()
                .<Map<Object, V>>map(c -> entries.tailMap(new Probe(c.at(), c.id()), false))
                .orElse(entries);
        TreeMap<Object, V> picked = new TreeMap<>(newestFirst);
        for (V value : tail.values()) {
            if (picked.size() == wanted) {
                break;
            }
            if (!shadowed.test(value) && filter.test(value)) {
                picked.put(value, value);
            }
        }
        for (V value : staged) {
            if (filter.test(value) && request.after().map(c -> c.precedes(time.apply(value), id.apply(value))).orElse(true)) {
                picked.remove(value);
                picked.put(value, value);
            }
        }
        List<V> items = new ArrayList<>(request.limit());
        for (V value : picked.values()) {
            if (items.size() == request.limit()) {
                V last = items.get(items.size() - 1);
                return new Page<>(items, Optional.of(new PageCursor(time.apply(last), id.apply(last))));
            }
            items.add(value);
        }
        return new Page<>(items, Optional.empty());
    }

    @SuppressWarnings("unchecked")
    private Instant timeOf(Object entry) {
        return entry instanceof Probe p ? p.at() : time.apply((V) entry);
    }

    @SuppressWarnings("unchecked")
    private String idOf(Object entry) {
        return entry instanceof Probe p ? p.id() : id.apply((V) entry);
    }
}
