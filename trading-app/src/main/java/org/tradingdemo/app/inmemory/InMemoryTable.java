package org.tradingdemo.app.inmemory;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final Map<K, V> committed = new ConcurrentHashMap<>();
    private final List<CommitListener<K, V>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Map<K, V>>> validators = new CopyOnWriteArrayList<>();

    public InMemoryTable(InMemoryTransactions transactions, String name) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    /** Registers a listener; register before the first write so no change is missed. */
    public void onCommit(CommitListener<K, V> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Registers a check of this table's staged writes that runs under the commit lock before any table
     * applies anything; it reads committed state and throws to abort the whole unit of work.
     */
    public void beforeCommit(Consumer<Map<K, V>> validator) {
        validators.add(Objects.requireNonNull(validator, "validator"));
    }

    /** The value as the calling thread sees it: its own staged write first, then committed data. */
    public Optional<V> get(K key) {
        Staged staged = staged(false);
        if (staged != null && staged.values.containsKey(key)) {
            return Optional.of(staged.values.get(key));
        }
        return getCommitted(key);
    }

    /** The committed value, ignoring the caller's staged writes. */
    public Optional<V> getCommitted(K key) {
        return transactions.read(() -> Optional.ofNullable(committed.get(key)));
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

    private boolean write(K key, V value, boolean onlyIfAbsent) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!transactions.isActive()) {
            return transactions.autocommit(() -> write(key, value, onlyIfAbsent));
        }
        if (onlyIfAbsent && get(key).isPresent()) {
            return false;
        }
        Staged staged = staged(true);
        staged.values.put(key, value);
        if (onlyIfAbsent) {
            staged.insertOnly.add(key);
        } else {
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
        private final Map<K, V> values = new LinkedHashMap<>();
        private final Set<K> insertOnly = new HashSet<>();

        @Override
        public void validate() {
            Map<K, V> view = Collections.unmodifiableMap(values);
            validators.forEach(v -> v.accept(view));
        }

        @Override
        public void apply() {
            values.forEach((key, value) -> {
                V before = committed.get(key);
                if (before != null && insertOnly.contains(key)) {
                    return;
                }
                committed.put(key, value);
                Optional<V> previous = Optional.ofNullable(before);
                listeners.forEach(l -> l.committed(key, previous, value));
            });
        }
    }

    @Override
    public String toString() {
        return "InMemoryTable[" + name + ", " + committed.size() + " rows]";
    }
}
