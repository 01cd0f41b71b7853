package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.Transactions;

/**
 * What every {@link Outbox} must do together with the unit of work it joins: keep a message exactly
 * as appended, refuse a second message with the same idempotency key, hand out the undelivered
 * messages that are due oldest first, forget delivered ones, keep failed ones for their next attempt,
 * and commit or roll back with the caller's transaction. Subclass once per adapter.
 *
 * <p>The store may be shared with other tests (and hold their pending messages), so every test uses
 * fresh ids and keys, its own randomly chosen stretch of time, and asserts about foreign messages
 * only what must hold for all of them.
 *
 * @param <T> the adapter under test
 */
public abstract class AbstractOutboxContract<T extends Outbox> {

    /** An outbox and the unit of work its writes join. */
    public record Fixture<T extends Outbox>(Transactions transactions, T outbox) {
    }

    /** Large enough that this test's messages are never cut off by messages other tests left pending. */
    private static final int ALL = 10_000;
    private static final long TIMEOUT_SECONDS = 10;

    protected T outbox;
    protected Transactions tx;
    /** This test's "now": somewhere in 2001-2011, whole milliseconds, so stores of any precision agree. */
    protected Instant base;

    /** A fresh outbox over a store and its unit of work; the store may be shared with other tests. */
    protected abstract Fixture<T> create();

    @BeforeEach
    void setUpOutbox() {
        Fixture<T> fixture = create();
        outbox = fixture.outbox();
        tx = fixture.transactions();
        base = Instant.parse("2001-01-01T00:00:00Z")
                .plusMillis(ThreadLocalRandom.current().nextLong(Duration.ofDays(3650).toMillis()));
    }

    // ---- append and read back ------------------------------------------------------------------

    @Test
    void anAppendedMessageIsFoundByIdWithEveryField() {
        OutboxMessage message = new OutboxMessage(TestData.unique("msg"), "quota.complete", TestData.unique("key"),
                Map.of("reservationId", TestData.unique("res"), "note", "two entries"), base, 0,
                base.plusSeconds(10), Optional.empty(), Optional.empty());

        assertTrue(outbox.append(message));

        assertEquals(Optional.of(message), outbox.findById(message.id()));
        assertEquals(Optional.empty(), outbox.findById(TestData.unique("msg")));
    }

    @Test
    void aSecondMessageWithTheSameIdempotencyKeyIsRefusedAndTheFirstKept() {
        long pendingBefore = outbox.countPending();
        OutboxMessage first = message(base, base);
        OutboxMessage sameKey = new OutboxMessage(TestData.unique("msg"), "quota.release", first.idempotencyKey(),
                Map.of("reservationId", "other"), base.plusSeconds(1), 0, base.plusSeconds(1), Optional.empty(),
                Optional.empty());

        assertTrue(outbox.append(first));
        assertFalse(outbox.append(sameKey));
        assertFalse(outbox.append(first), "the same message again is a duplicate too");

        assertEquals(Optional.of(first), outbox.findById(first.id()));
        assertEquals(Optional.empty(), outbox.findById(sameKey.id()));
        assertEquals(pendingBefore + 1, outbox.countPending());
        assertEquals(List.of(first), ours(outbox.due(base.plusSeconds(5), ALL), first, sameKey));
    }

    @Test
    void aDuplicateKeyWithinOneTransactionIsRefusedToo() {
        OutboxMessage first = message(base, base);
        OutboxMessage sameKey = new OutboxMessage(TestData.unique("msg"), first.kind(), first.idempotencyKey(),
                first.payload(), base, 0, base, Optional.empty(), Optional.empty());

        tx.run(() -> {
            assertTrue(outbox.append(first));
            assertFalse(outbox.append(sameKey), "the unit's own staged key counts");
        });

        assertEquals(Optional.of(first), outbox.findById(first.id()));
        assertEquals(Optional.empty(), outbox.findById(sameKey.id()));
    }

    // ---- due ------------------------------------------------------------------------------------

    @Test
    void dueReturnsOnlyUndeliveredMessagesWhoseNextAttemptHasCome() {
        OutboxMessage overdue = message(base.minusSeconds(60), base.minusSeconds(1));
        OutboxMessage dueExactlyNow = message(base.minusSeconds(30), base);
        OutboxMessage notYet = message(base.minusSeconds(20), base.plusMillis(1));
        OutboxMessage delivered = message(base.minusSeconds(90), base.minusSeconds(90));
        for (OutboxMessage m : List.of(overdue, dueExactlyNow, notYet, delivered)) {
            assertTrue(outbox.append(m));
        }
        outbox.save(delivered.delivered(base.minusSeconds(89)));

        List<OutboxMessage> due = outbox.due(base, ALL);

        assertEquals(List.of(overdue, dueExactlyNow), ours(due, overdue, dueExactlyNow, notYet, delivered));
        for (OutboxMessage m : due) {
            assertFalse(m.isDelivered(), "delivered message handed out: " + m);
            assertFalse(m.nextAttemptAt().isAfter(base), "message handed out before its time: " + m);
        }
        assertEquals(List.of(overdue, dueExactlyNow, notYet),
                ours(outbox.due(base.plusMillis(1), ALL), overdue, dueExactlyNow, notYet, delivered));
    }

    @Test
    void dueIsOldestFirstAndLimited() {
        OutboxMessage newest = message(base.minusSeconds(1), base.minusSeconds(1));
        OutboxMessage oldest = message(base.minusSeconds(3), base.minusSeconds(1));
        OutboxMessage middle = message(base.minusSeconds(2), base.minusSeconds(1));
        // appended out of order, so insertion order cannot pass for age
        for (OutboxMessage m : List.of(newest, oldest, middle)) {
            assertTrue(outbox.append(m));
        }

        List<OutboxMessage> all = outbox.due(base, ALL);
        List<OutboxMessage> two = outbox.due(base, 2);
        List<OutboxMessage> one = outbox.due(base, 1);

        assertEquals(List.of(oldest, middle, newest), ours(all, oldest, middle, newest));
        for (int i = 1; i < all.size(); i++) {
            assertFalse(all.get(i).createdAt().isBefore(all.get(i - 1).createdAt()), "not oldest first: " + all);
        }
        assertEquals(all.subList(0, 2), two, "the limit keeps the oldest");
        assertEquals(all.subList(0, 1), one);
    }

    // ---- save after an attempt ------------------------------------------------------------------

    @Test
    void aDeliveredMessageIsNoLongerDueNorPending() {
        long pendingBefore = outbox.countPending();
        OutboxMessage message = message(base.minusSeconds(5), base.minusSeconds(5));
        OutboxMessage other = message(base.minusSeconds(4), base.minusSeconds(4));
        assertTrue(outbox.append(message));
        assertTrue(outbox.append(other));
        assertEquals(pendingBefore + 2, outbox.countPending());

        OutboxMessage delivered = message.delivered(base);
        outbox.save(delivered);

        assertEquals(Optional.of(delivered), outbox.findById(message.id()));
        assertTrue(outbox.findById(message.id()).orElseThrow().isDelivered());
        assertEquals(Optional.of(base), outbox.findById(message.id()).orElseThrow().deliveredAt());
        assertEquals(pendingBefore + 1, outbox.countPending());
        assertEquals(List.of(other), ours(outbox.due(base.plusSeconds(3600), ALL), message, other));
    }

    @Test
    void aFailedMessageStaysPendingAndIsDueAgainAtItsNextAttempt() {
        long pendingBefore = outbox.countPending();
        OutboxMessage message = message(base, base);
        assertTrue(outbox.append(message));
        Instant retryAt = base.plusSeconds(30);

        OutboxMessage failed = message.failed("metering unreachable", retryAt);
        outbox.save(failed);

        OutboxMessage stored = outbox.findById(message.id()).orElseThrow();
        assertEquals(failed, stored);
        assertEquals(1, stored.attempts());
        assertEquals(retryAt, stored.nextAttemptAt());
        assertEquals(Optional.of("metering unreachable"), stored.lastError());
        assertFalse(stored.isDelivered());
        assertEquals(pendingBefore + 1, outbox.countPending());
        assertEquals(List.of(), ours(outbox.due(retryAt.minusMillis(1), ALL), message));
        assertEquals(List.of(failed), ours(outbox.due(retryAt, ALL), message));
    }

    // ---- the unit of work -----------------------------------------------------------------------

    @Test
    void anAppendInsideARolledBackTransactionLeavesNothing() {
        long pendingBefore = outbox.countPending();
        OutboxMessage message = message(base, base);
        IllegalStateException boom = new IllegalStateException("the causing change failed");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tx.run(() -> {
            assertTrue(outbox.append(message));
            throw boom;
        }));

        assertSame(boom, thrown);
        assertEquals(Optional.empty(), outbox.findById(message.id()));
        assertEquals(pendingBefore, outbox.countPending());
        assertEquals(List.of(), ours(outbox.due(base.plusSeconds(3600), ALL), message));
        OutboxMessage retry = new OutboxMessage(TestData.unique("msg"), message.kind(), message.idempotencyKey(),
                message.payload(), base, 0, base, Optional.empty(), Optional.empty());
        assertTrue(outbox.append(retry), "the rolled-back key is free again");
    }

    @Test
    void anAppendJoinsTheCallersUnitAndIsHiddenFromOthersUntilCommit() throws Exception {
        OutboxMessage message = message(base, base);

        tx.run(() -> {
            assertTrue(outbox.append(message));
            assertEquals(Optional.of(message), outbox.findById(message.id()), "the unit reads its own append");
            Optional<OutboxMessage> seenByAnotherThread = elsewhere(() -> outbox.findById(message.id()));
            List<OutboxMessage> dueForAnotherThread = elsewhere(() -> outbox.due(base, ALL));
            assertEquals(Optional.empty(), seenByAnotherThread);
            assertEquals(List.of(), ours(dueForAnotherThread, message), "a relay must never see uncommitted effects");
        });

        assertEquals(Optional.of(message), outbox.findById(message.id()));
        assertEquals(List.of(message), ours(outbox.due(base, ALL), message));
    }

    @Test
    void savesInOneTransactionCommitOrRollBackTogether() {
        OutboxMessage a = message(base.minusSeconds(2), base);
        OutboxMessage b = message(base.minusSeconds(1), base);
        assertTrue(outbox.append(a));
        assertTrue(outbox.append(b));

        assertThrows(IllegalStateException.class, () -> tx.run(() -> {
            outbox.save(a.delivered(base));
            outbox.save(b.delivered(base));
            throw new IllegalStateException("acknowledgement batch failed");
        }));
        assertEquals(List.of(a, b), ours(outbox.due(base, ALL), a, b));

        tx.run(() -> {
            outbox.save(a.delivered(base));
            outbox.save(b.delivered(base));
        });
        assertEquals(List.of(), ours(outbox.due(base, ALL), a, b));
        assertTrue(outbox.findById(a.id()).orElseThrow().isDelivered());
        assertTrue(outbox.findById(b.id()).orElseThrow().isDelivered());
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A fresh message (new id, key and reservation) created at {@code createdAt}, due at {@code dueAt}. */
    protected static OutboxMessage message(Instant createdAt, Instant dueAt) {
        return new OutboxMessage(TestData.unique("msg"), "quota.complete", TestData.unique("quota.complete"),
                Map.of("reservationId", TestData.unique("res")), createdAt, 0, dueAt, Optional.empty(),
                Optional.empty());
    }

    /** The messages of {@code found} that are among {@code mine}, in the order found. */
    private static List<OutboxMessage> ours(List<OutboxMessage> found, OutboxMessage... mine) {
        Set<String> ids = Arrays.stream(mine).map(OutboxMessage::id).collect(Collectors.toSet());
        return found.stream().filter(m -> ids.contains(m.id())).toList();
    }

    /** Runs a read on another thread (outside the caller's unit of work). */
    private static <R> R elsewhere(Supplier<R> read) {
        try {
            return CompletableFuture.supplyAsync(read).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the read on another thread failed", e);
        }
    }
}
