package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * {@link #countPending} do not scan delivered ones. Like the rest of the in-memory store it keeps
 * everything it was given (one message per effect), for as long as the process lives.
 */
public final class InMemoryOutbox implements Outbox {

    private final InMemoryTransactions transactions;
    private final InMemoryTable<String, OutboxMessage> messages;
    private final Map<String, String> idByKey = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public InMemoryOutbox(InMemoryTransactions transactions) {
        this.transactions = transactions;
        this.messages = new InMemoryTable<>(transactions, "outbox");
        messages.beforeCommit(staged -> {
            Map<String, String> keys = new HashMap<>();
            staged.values().forEach(m -> {
                String holder = idByKey.get(m.idempotencyKey());
                if ((holder != null && !holder.equals(m.id())) || keys.put(m.idempotencyKey(), m.id()) != null) {
                    throw new IllegalStateException("outbox already holds " + m.idempotencyKey());
                }
            });
        });
        messages.onCommit((id, before, after) -> {
            idByKey.put(after.idempotencyKey(), after.id());
            if (after.isDelivered()) {
                pending.remove(after.id());
            } else {
                pending.add(after.id());
            }
        });
    }

    @Override
    public boolean append(OutboxMessage message) {
        if (idByKey.containsKey(message.idempotencyKey())
                || messages.staged().values().stream().anyMatch(m -> m.idempotencyKey().equals(message.idempotencyKey()))) {
            return false;
        }
        return messages.putIfAbsent(message.id(), message);
    }

    @Override
    public List<OutboxMessage> due(Instant now, int limit) {
        List<OutboxMessage> due = new ArrayList<>();
        transactions.read(() -> {
            for (String id : pending) {
                messages.getCommitted(id).filter(m -> !m.isDelivered() && !m.nextAttemptAt().isAfter(now))
                        .ifPresent(due::add);
            }
            return null;
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
