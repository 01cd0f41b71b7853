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
    void keepsOnlyTheLastDeliveredMessagesAndNeverForgetsAnUndeliveredOne() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryOutbox small = new InMemoryOutbox(transactions, 2);
        OutboxMessage waiting = message(base, base);
        OutboxMessage first = message(base, base);
        OutboxMessage second = message(base, base);
        OutboxMessage third = message(base, base);
        for (OutboxMessage m : List.of(waiting, first, second, third)) {
            assertTrue(small.append(m));
        }

        small.save(first.delivered(base));
        transactions.run(() -> {
            small.save(second.delivered(base));
            small.save(third.delivered(base));
        });

        assertEquals(Optional.empty(), small.findById(first.id()));
        assertTrue(small.append(withKeyOf(first)), "a forgotten message no longer holds its key");
        assertEquals(Optional.of(second.delivered(base)), small.findById(second.id()));
        assertEquals(Optional.of(third.delivered(base)), small.findById(third.id()));
        assertFalse(small.append(withKeyOf(second)), "a kept delivered message still holds its key");
        assertEquals(Optional.of(waiting), small.findById(waiting.id()));
        assertEquals(2, small.countPending());
        assertEquals(List.of(waiting), small.due(base, 10).stream().filter(m -> m.id().equals(waiting.id())).toList());
    }

    @Test
    void aDeliveredMessageSavedAgainIsStillForgottenInItsTurn() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryOutbox small = new InMemoryOutbox(transactions, 2);
        OutboxMessage message = message(base, base);
        assertTrue(small.append(message));
        small.save(message.delivered(base));
        small.save(message.delivered(base.plusSeconds(1)));
        assertEquals(Optional.of(message.delivered(base.plusSeconds(1))), small.findById(message.id()));

        for (int i = 0; i < 2; i++) {
            OutboxMessage later = message(base, base);
            assertTrue(small.append(later));
            small.save(later.delivered(base));
        }

        assertEquals(Optional.empty(), small.findById(message.id()));
        assertEquals(0, small.countPending());
    }

    @Test
    void forgetsEveryDeliveredMessageWhenToldToKeepNone() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryOutbox none = new InMemoryOutbox(transactions, 0);
        OutboxMessage message = message(base, base);
        assertTrue(none.append(message));

        none.save(message.failed("down", base.plusSeconds(1)));
        assertEquals(1, none.countPending(), "a failed attempt is kept for the next one");
        none.save(message.delivered(base));

        assertEquals(Optional.empty(), none.findById(message.id()));
        assertEquals(0, none.countPending());
        assertEquals(List.of(), none.due(base.plusSeconds(3600), 10));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryOutbox(transactions, -1));
    }

    @Test
    void storedMessagesAreTheImmutableValuesGiven() {
        OutboxMessage message = message(base, base);
        outbox.append(message);

        OutboxMessage read = outbox.findById(message.id()).orElseThrow();

        assertThrows(UnsupportedOperationException.class, () -> read.payload().put("x", "y"));
        assertEquals(List.of(message), outbox.due(base, 10_000).stream().filter(m -> m.id().equals(message.id())).toList());
    }

    /** A new message (new id) for the same effect as {@code original}. */
    private OutboxMessage withKeyOf(OutboxMessage original) {
        return new OutboxMessage(original.id() + "-again", original.kind(), original.idempotencyKey(),
                original.payload(), base, 0, base, Optional.empty(), Optional.empty());
    }
}
