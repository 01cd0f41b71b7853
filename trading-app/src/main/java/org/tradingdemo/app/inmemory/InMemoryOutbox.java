package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.port.Outbox;

/**
 * The outbox in memory. It takes part in the caller's unit of work like every in-memory table;
 * idempotency keys are unique, and the undelivered messages are indexed so {@link #due} and
 * {@link #countPending} do not scan delivered ones.
 *
 * <p>Unlike the rest of the in-memory store it does not keep everything: a delivered message is
 * needed by nobody once its delivery is recorded (the in-memory store does not survive the process,
 * so there is no restart to redeliver for), and otherwise every trade would leave one behind for as
 * long as the process lives. It keeps the last {@link #DEFAULT_DELIVERED_KEPT} delivered messages
 * (for {@link #findById} and diagnostics) and forgets older ones; undelivered messages are never
 * forgotten. An idempotency key is refused while its message is held; keys name one effect each (a
 * reservation, a request), so a forgotten key is not recorded again.
 */
public final class InMemoryOutbox implements Outbox {

    /** How many delivered messages are kept before the oldest are forgotten. */
    public static final int DEFAULT_DELIVERED_KEPT = 128;

    private final InMemoryTransactions transactions;
    private final InMemoryTable<String, OutboxMessage> messages;
    private final Map<String, String> idByKey = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** The kept delivered messages, oldest first; touched only by commit listeners (under the commit lock). */
    private final Deque<OutboxMessage> delivered = new ArrayDeque<>();
    private final int deliveredKept;

    public InMemoryOutbox(InMemoryTransactions transactions) {
        this(transactions, DEFAULT_DELIVERED_KEPT);
    }

    /** @param deliveredKept how many delivered messages to keep before forgetting the oldest, at least 0 */
    public InMemoryOutbox(InMemoryTransactions transactions, int deliveredKept) {
        if (deliveredKept < 0) {
            throw new IllegalArgumentException("deliveredKept must not be negative");
        }
        this.transactions = transactions;
        this.deliveredKept = deliveredKept;
        this.messages = new InMemoryTable<>(transactions, "outbox");
        messages.beforeCommit(staged -> {
            if (staged.size() == 1) {
                OutboxMessage m = staged.values().iterator().next();
                String holder = idByKey.get(m.idempotencyKey());
                if (holder != null && !holder.equals(m.id())) {
                    throw new IllegalStateException("outbox already holds " + m.idempotencyKey());
                }
                return;
            }
            Map<String, String> keys = null;
            for (OutboxMessage m : staged.values()) {
                String holder = idByKey.get(m.idempotencyKey());
                if (holder != null) {
                    if (!holder.equals(m.id())) {
                        throw new IllegalStateException("outbox already holds " + m.idempotencyKey());
                    }
                    continue; // an update of the message that holds the key (e.g. its delivery)
                }
                if (keys == null) {
                    keys = new HashMap<>();
                }
                if (keys.put(m.idempotencyKey(), m.id()) != null) {
                    throw new IllegalStateException("outbox already holds " + m.idempotencyKey());
                }
            }
        });
        messages.onCommit((id, before, after) -> {
            if (before.isEmpty()) {
                idByKey.put(after.idempotencyKey(), after.id());
            }
            if (after.isDelivered()) {
                pending.remove(after.id());
                // every delivered version queues: an older one's turn then finds it replaced and passes
                keepDelivered(after);
            } else {
                pending.add(after.id());
            }
        });
    }

    /** Under the commit lock: remembers a newly delivered message and forgets the oldest beyond the cap. */
    private void keepDelivered(OutboxMessage message) {
        delivered.addLast(message);
        while (delivered.size() > deliveredKept) {
            OutboxMessage oldest = delivered.removeFirst();
            // only while it is still this delivered version (a later save may have changed it)
            if (messages.forgetCommitted(oldest.id(), oldest)) {
                idByKey.remove(oldest.idempotencyKey(), oldest.id());
            }
        }
    }

    @Override
    public boolean append(OutboxMessage message) {
        String key = message.idempotencyKey();
        if (idByKey.containsKey(key)) {
            return false;
        }
        for (OutboxMessage staged : messages.staged().values()) {
            if (staged.idempotencyKey().equals(key)) {
                return false;
            }
        }
        return messages.putIfAbsent(message.id(), message);
    }

    @Override
    public List<OutboxMessage> due(Instant now, int limit) {
        List<OutboxMessage> due = transactions.read(() -> {
            List<OutboxMessage> found = new ArrayList<>();
            for (String id : pending) {
                messages.getCommitted(id).filter(m -> !m.isDelivered() && !m.nextAttemptAt().isAfter(now))
                        .ifPresent(found::add);
            }
            return found;
        });
        due.sort(Comparator.comparing(OutboxMessage::createdAt).thenComparing(OutboxMessage::id));
        return due.size() <= limit ? due : List.copyOf(due.subList(0, limit));
    }

    @Override
    public Optional<OutboxMessage> findById(String id) {
        return messages.get(id);
    }

    @Override
    public void save(OutboxMessage message) {
        messages.put(message.id(), message);
    }

    @Override
    public long countPending() {
        return pending.size();
    }
}
