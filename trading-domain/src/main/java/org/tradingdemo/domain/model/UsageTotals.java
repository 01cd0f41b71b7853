package org.tradingdemo.domain.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/** Counts and amounts per usage type over some window. */
public record UsageTotals(Map<UsageType, Total> byType) {

    public UsageTotals {
        // an immutable array by type, ordered by type: built once per sum on the per-trade quota path
        byType = byType instanceof ByType own ? own : ByType.copyOf(byType);
    }

    private static final UsageType[] TYPES = UsageType.values();
    private static final UsageTotals EMPTY = new UsageTotals(Map.of());

    public static UsageTotals empty() {
        return EMPTY;
    }

    public Total of(UsageType type) {
        Total total = ((ByType) byType).totals[type.ordinal()];
        return total == null ? Total.ZERO : total;
    }

    public UsageTotals plus(UsageTotals other) {
        if (other.byType.isEmpty()) {
            return this;
        }
        if (byType.isEmpty()) {
            return other;
        }
        Total[] mine = ((ByType) byType).totals;
        Total[] theirs = ((ByType) other.byType).totals;
        Total[] sum = new Total[TYPES.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = mine[i] == null ? theirs[i] : theirs[i] == null ? mine[i] : mine[i].plus(theirs[i]);
        }
        return new UsageTotals(new ByType(sum));
    }

    public record Total(long count, Money amount) {
        public static final Total ZERO = new Total(0, Money.zero(Money.USD));

        public Total plus(Total other) {
            return new Total(count + other.count, amount.plus(other.amount));
        }
    }

    /** An immutable map of totals by type, in type order; absent types are null slots. */
    private static final class ByType extends AbstractMap<UsageType, Total> {
        private final Total[] totals;
        private final int size;

        private ByType(Total[] totals) {
            this.totals = totals;
            int n = 0;
            for (Total t : totals) {
                if (t != null) {
                    n++;
                }
            }
            this.size = n;
        }

        static ByType copyOf(Map<UsageType, Total> source) {
            Total[] totals = new Total[TYPES.length];
            source.forEach((type, total) -> totals[Objects.requireNonNull(type, "type").ordinal()] =
                    Objects.requireNonNull(total, "total"));
            return new ByType(totals);
        }

        @Override
        public Total get(Object key) {
            return key instanceof UsageType type ? totals[type.ordinal()] : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean isEmpty() {
            return size == 0;
        }

        @Override
        public void forEach(BiConsumer<? super UsageType, ? super Total> action) {
            for (int i = 0; i < totals.length; i++) {
                if (totals[i] != null) {
                    action.accept(TYPES[i], totals[i]);
                }
            }
        }

        @Override
        public Set<Entry<UsageType, Total>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<UsageType, Total>> iterator() {
                    return new Iterator<>() {
                        private int next = advance(0);

                        private int advance(int from) {
                            int i = from;
                            while (i < totals.length && totals[i] == null) {
                                i++;
                            }
                            return i;
                        }

                        @Override
                        public boolean hasNext() {
                            return next < totals.length;
                        }

                        @Override
                        public Entry<UsageType, Total> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            Entry<UsageType, Total> e = Map.entry(TYPES[next], totals[next]);
                            next = advance(next + 1);
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }
}
