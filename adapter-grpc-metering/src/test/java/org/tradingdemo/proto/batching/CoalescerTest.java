package org.tradingdemo.proto.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/**
 * The coalescer (module {@code proto}, which has no test set-up of its own) on its own, with a
 * hand-completed batch call; the adapters test it over real gRPC.
 */
class CoalescerTest {

    private record Sent(List<String> requests, long deadline, boolean waitForReady, CompletableFuture<List<String>> answer) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Coalescer<String, String> coalescer = new Coalescer<>((requests, deadline, waitForReady) -> {
        Sent s = new Sent(requests, deadline, waitForReady, new CompletableFuture<>());
        sent.add(s);
        return s.answer();
    }, 3, 1);

    private static long in(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void whatArrivesWhileABatchIsOutGoesNextEachResultToItsCaller() throws Exception {
        CompletableFuture<String> a = coalescer.submit("a", in(10), false);
        assertEquals(1, sent.size(), "an idle coalescer sends at once");
        long early = in(5);
        CompletableFuture<String> b = coalescer.submit("b", in(10), false);
        CompletableFuture<String> c = coalescer.submit("c", early, true);
        CompletableFuture<String> d = coalescer.submit("d", in(10), false);
        CompletableFuture<String> e = coalescer.submit("e", in(10), false);
        assertEquals(1, sent.size(), "one batch in flight at a time");
        assertEquals(4, coalescer.waiting());

        sent.get(0).answer().complete(List.of("A"));
        assertEquals("A", a.get());
        assertEquals(2, sent.size());
        Sent second = sent.get(1);
        assertEquals(List.of("b", "c", "d"), second.requests(), "at most maxBatch, in arrival order");
        assertEquals(early, second.deadline(), "the earliest deadline of the batch");
        assertTrue(second.waitForReady(), "one item asked to wait for the connection");

        second.answer().complete(List.of("B", "C", "D"));
        assertEquals(List.of("B", "C", "D"), List.of(b.get(), c.get(), d.get()));
        assertEquals(List.of("e"), sent.get(2).requests());
        sent.get(2).answer().complete(List.of("E"));
        assertEquals("E", e.get());
        assertEquals(3, coalescer.stats().batches());
        assertEquals(5, coalescer.stats().items());
        assertEquals(3, coalescer.stats().largestBatch());
    }

    @Test
    void aFailedBatchFailsEachOfItsCallersAndTheNextBatchStillGoes() throws Exception {
        coalescer.submit("a", in(10), false);
        CompletableFuture<String> b = coalescer.submit("b", in(10), false);
        CompletableFuture<String> c = coalescer.submit("c", in(10), false);
        CompletableFuture<String> d = coalescer.submit("d", in(10), false);
        sent.get(0).answer().complete(List.of("A"));
        IllegalStateException down = new IllegalStateException("down");
        sent.get(1).answer().completeExceptionally(down);
        for (CompletableFuture<String> f : List.of(b, c, d)) {
            assertSame(down, assertThrows(ExecutionException.class, f::get).getCause());
        }
        CompletableFuture<String> e = coalescer.submit("e", in(10), false);
        sent.get(2).answer().complete(List.of("E"));
        assertEquals("E", e.get());
    }

    @Test
    void anAnswerWithTheWrongNumberOfResultsFailsEveryCaller() {
        coalescer.submit("a", in(10), false);
        CompletableFuture<String> b = coalescer.submit("b", in(10), false);
        CompletableFuture<String> c = coalescer.submit("c", in(10), false);
        sent.get(0).answer().complete(List.of("A"));
        sent.get(1).answer().complete(List.of("B"));
        for (CompletableFuture<String> f : List.of(b, c)) {
            assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, f::get).getCause());
        }
    }

    @Test
    void anItemWhoseDeadlinePassedWhileWaitingIsFailedUnsent() {
        coalescer.submit("a", in(10), false);
        CompletableFuture<String> late = coalescer.submit("late", System.nanoTime() - 1, false);
        sent.get(0).answer().complete(List.of("A"));
        assertInstanceOf(TimeoutException.class, assertThrows(ExecutionException.class, late::get).getCause());
        assertEquals(1, sent.size(), "nothing left to send");
    }

    @Test
    void aBatchCallThatThrowsFailsItsCallers() {
        Coalescer<String, String> broken = new Coalescer<>((requests, deadline, waitForReady) -> {
            throw new IllegalStateException("channel closed");
        }, 3, 1);
        CompletableFuture<String> a = broken.submit("a", in(10), false);
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, a::get).getCause());
        CompletableFuture<String> b = broken.submit("b", in(10), false);
        assertTrue(b.isCompletedExceptionally(), "and the coalescer is free for the next one");
    }
}
