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

    private record Key(Instant at, String id) {
    }

    /** Newest first, then by id descending; written out, as it runs for every step of every insert. */
    private static final Comparator<Key> NEWEST_FIRST = (a, b) -> {
        int byTime = b.at().compareTo(a.at());
        return byTime != 0 ? byTime : b.id().compareTo(a.id());
    };

    private final Function<V, Instant> time;
    private final Function<V, String> id;
    private final ConcurrentSkipListMap<Key, V> entries = new ConcurrentSkipListMap<>(NEWEST_FIRST);

    NewestFirstIndex(Function<V, Instant> time, Function<V, String> id) {
        this.time = time;
        this.id = id;
    }

    void add(V value) {
        entries.put(keyOf(value), value);
    }

    void remove(V value) {
        entries.remove(keyOf(value));
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
        Map<Key, V> tail = request.after()
                .<Map<Key, V>>map(c -> entries.tailMap(new Key(c.at(), c.id()), false))
                .orElse(entries);
        TreeMap<Key, V> picked = new TreeMap<>(NEWEST_FIRST);
        for (V value : tail.values()) {
            if (picked.size() == wanted) {
                break;
            }
            if (!shadowed.test(value) && filter.test(value)) {
                picked.put(keyOf(value), value);
            }
        }
        for (V value : staged) {
            if (filter.test(value) && request.after().map(c -> c.precedes(time.apply(value), id.apply(value))).orElse(true)) {
                picked.put(keyOf(value), value);
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

    private Key keyOf(V value) {
        return new Key(time.apply(value), id.apply(value));
    }
}
