package org.tradingdemo.app.inmemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * One keyed table of immutable values that takes part in {@link InMemoryTransactions}: the single
 * place where staging, read-your-writes and commit happen, so each repository only adds its
 * indexes and queries.
 *
 * <p>Values must be immutable (the domain records are): the table hands out the stored instances.
 *
 * @param <K> the primary key
 * @param <V> the stored value
 */
public final class InMemoryTable<K, V> {

    /** Told about every applied write, under the commit lock; keeps secondary indexes and aggregates. */
    @FunctionalInterface
    public interface CommitListener<K, V> {
        void committed(K key, Optional<V> before, V after);
    }

    private final InMemoryTransactions transactions;
    private final String name;
    private final ConcurrentMap<K, V> committed;
    // registered once at wiring, read on every commit: copy-on-write arrays, no iterator per commit
    private volatile CommitListener<K, V>[] listeners = newListeners(0);
    @SuppressWarnings("unchecked")
    private volatile Consumer<Map<K, V>>[] validators = new Consumer[0];

    /** A table hashed by key. */
    public InMemoryTable(InMemoryTransactions transactions, String name) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.name = Objects.requireNonNull(name, "name");
        this.committed = new ConcurrentHashMap<>();
    }

    /**
     * A table sorted by key, for a table that only grows and whose keys are made in increasing order
     * (time-ordered ids): every insert lands next to the previous one, so it touches memory that is
     * already in cache and never rehashes a large table - a hash table of a million rows misses the
     * cache on every insert and copies itself as it grows.
     */
    public InMemoryTable(InMemoryTransactions transactions, String name, Comparator<? super K> keyOrder) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.name = Objects.requireNonNull(name, "name");
        this.committed = new ConcurrentSkipListMap<>(Objects.requireNonNull(keyOrder, "keyOrder"));
    }

    public String name() {
        return name;
    }

    /** Registers a listener; register before the first write so no change is missed. */
    public synchronized void onCommit(CommitListener<K, V> listener) {
        Objects.requireNonNull(listener, "listener");
        CommitListener<K, V>[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = listener;
        listeners = next;
    }

    /**
     * Registers a check of this table's staged writes that runs under the commit lock before any table
     * applies anything; it reads committed state and throws to abort the whole unit of work.
     */
    public synchronized void beforeCommit(Consumer<Map<K, V>> validator) {
        Objects.requireNonNull(validator, "validator");
        Consumer<Map<K, V>>[] next = Arrays.copyOf(validators, validators.length + 1);
        next[next.length - 1] = validator;
        validators = next;
    }

    /** The value as the calling thread sees it: its own staged write first, then committed data. */
    public Optional<V> get(K key) {
        return Optional.ofNullable(visible(key));
    }

    /** Like {@link #get}, null when absent. */
    V visible(K key) {
        Staged staged = staged(false);
        if (staged != null) {
            V own = staged.values.get(key);
            if (own != null) {
                return own;
            }
        }
        return committedValue(key);
    }

    /** The committed value, ignoring the caller's staged writes. */
    public Optional<V> getCommitted(K key) {
        return Optional.ofNullable(committedValue(key));
    }

    /**
     * One lookup needs no lock: a single map read sees a whole value, and validating the stamp after
     * it proves no commit was half applied meanwhile (so a later read sees the rest of that commit).
     */
    V committedValue(K key) {
        long stamp = transactions.optimisticStamp();
        if (stamp != 0) {
            V value = committed.get(key);
            if (transactions.stillValid(stamp)) {
                return value;
            }
        }
        return transactions.read(() -> committed.get(key));
    }

    /** Whether the caller has staged anything in this table. */
    boolean hasStaged() {
        Staged staged = staged(false);
        return staged != null && !staged.values.isEmpty();
    }

    /** The calling thread's staged writes to this table (empty outside a transaction); read-only. */
    public Map<K, V> staged() {
        Staged staged = staged(false);
        return staged == null ? Map.of() : Collections.unmodifiableMap(staged.values);
    }

    /** Inserts or replaces. */
    public void put(K key, V value) {
        write(key, value, false);
    }

    /**
     * Inserts unless the key is visible already. If another transaction commits the same key first,
     * this write is dropped at commit: the first writer wins, which is what an idempotent append wants.
     *
     * @return false when the key was already visible to the caller
     */
    public boolean putIfAbsent(K key, V value) {
        return write(key, value, true);
    }

    /**
     * Drops a committed row without a unit of work; for a store that forgets what it no longer
     * needs, while it still holds {@code value}. Only from a commit listener (under the commit lock).
     *
     * @return whether it was dropped
     */
    boolean forgetCommitted(K key, V value) {
        if (!transactions.isCommitting()) {
            throw new IllegalStateException("rows are forgotten only under the commit lock");
        }
        return committed.remove(key, value);
    }

    private boolean write(K key, V value, boolean onlyIfAbsent) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        InMemoryTransactions.UnitOfWork unit = transactions.currentUnit();
        if (unit == null) {
            return transactions.autocommit(() -> write(key, value, onlyIfAbsent));
        }
        if (onlyIfAbsent && visible(key) != null) {
            return false;
        }
        Staged staged = unit.existing(this);
        if (staged == null) {
            staged = unit.participant(this, Staged::new);
        }
        staged.values.put(key, value);
        if (onlyIfAbsent) {
            staged.insertOnly().add(key); // the key was not visible, so it is not listed yet
        } else if (staged.insertOnly != null) {
            staged.insertOnly.remove(key);
        }
        return true;
    }

    private Staged staged(boolean create) {
        InMemoryTransactions.UnitOfWork unit = transactions.currentUnit();
        if (unit == null) {
            return null;
        }
        return create ? unit.participant(this, Staged::new) : unit.existing(this);
    }

    /** This table's part of one unit of work. Confined to the transaction's thread until commit. */
    private final class Staged implements InMemoryTransactions.Participant {
        private final Map<K, V> values = new LinkedHashMap<>(8);
        /** Keys written by putIfAbsent; created on first use, a handful per unit (hence a list). */
        private List<K> insertOnly;

        List<K> insertOnly() {
            if (insertOnly == null) {
                insertOnly = new ArrayList<>(2);
            }
            return insertOnly;
        }

        @Override
        public Object owner() {
            return InMemoryTable.this;
        }

        @Override
        public void validate() {
            Consumer<Map<K, V>>[] checks = validators;
            if (checks.length == 0) {
                return;
            }
            Map<K, V> view = Collections.unmodifiableMap(values);
            for (Consumer<Map<K, V>> check : checks) {
                check.accept(view);
            }
        }

        @Override
        public void apply() {
            CommitListener<K, V>[] told = listeners;
            Collection<K> onlyIfAbsent = insertOnly == null || insertOnly.size() <= 16 ? insertOnly : new HashSet<>(insertOnly);
            for (Map.Entry<K, V> write : values.entrySet()) {
                K key = write.getKey();
                V value = write.getValue();
                V before;
                if (onlyIfAbsent != null && onlyIfAbsent.contains(key)) {
                    before = committed.putIfAbsent(key, value);
                    if (before != null) {
                        continue; // another unit committed the key first: the first writer wins
                    }
                } else {
                    before = committed.put(key, value);
                }
                if (told.length > 0) {
                    Optional<V> previous = Optional.ofNullable(before);
                    for (CommitListener<K, V> listener : told) {
                        listener.committed(key, previous, value);
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> CommitListener<K, V>[] newListeners(int size) {
        return new CommitListener[size];
    }

    @Override
    public String toString() {
        return "InMemoryTable[" + name + ", " + committed.size() + " rows]";
    }
}
