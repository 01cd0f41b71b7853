package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.port.contract.AbstractOutboxContract;

/**
 * The in-memory outbox against the contract. Every test shares one store, as the SQLite tests share
 * one file, so the contract's isolation by fresh ids and keys is exercised too.
 */
class InMemoryOutboxTest extends AbstractOutboxContract<InMemoryOutbox> {

    private static final InMemoryTransactions SHARED_TRANSACTIONS = new InMemoryTransactions();
    private static final InMemoryOutbox SHARED_OUTBOX = new InMemoryOutbox(SHARED_TRANSACTIONS);

    @Override
    protected Fixture<InMemoryOutbox> create() {
        return new Fixture<>(SHARED_TRANSACTIONS, SHARED_OUTBOX);
    }

    @Test
    void twoUnitsAppendingTheSameKeyCommitOnlyTheFirst() {
        OutboxMessage first = message(base, base);
        OutboxMessage sameKey = new OutboxMessage(first.id() + "-2", first.kind(), first.idempotencyKey(),
                first.payload(), base, 0, base, Optional.empty(), Optional.empty());

        // the other unit commits the key while this one holds it staged: this unit cannot commit a second copy
        assertThrows(IllegalStateException.class, () -> tx.run(() -> {
            assertTrue(outbox.append(sameKey));
            assertTrue(CompletableFuture.supplyAsync(() -> tx.inTransaction(() -> outbox.append(first))).join());
        }));

        assertEquals(Optional.of(first), outbox.findById(first.id()));
        assertEquals(Optional.empty(), outbox.findById(sameKey.id()));
        assertFalse(outbox.append(sameKey));
    }

    @Test
    void storedMessagesAreTheImmutableValuesGiven() {
        OutboxMessage message = message(base, base);
        outbox.append(message);

        OutboxMessage read = outbox.findById(message.id()).orElseThrow();

        assertThrows(UnsupportedOperationException.class, () -> read.payload().put("x", "y"));
        assertEquals(List.of(message), outbox.due(base, 10_000).stream().filter(m -> m.id().equals(message.id())).toList());
    }
}
