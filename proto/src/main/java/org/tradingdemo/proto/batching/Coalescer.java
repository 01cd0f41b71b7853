package org.tradingdemo.proto.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for unary calls: requests made concurrently by many threads are gathered into one
 * batch call while the previous batch is in flight, and each caller gets its own item's result.
 *
 * <p>A request is queued; when fewer than {@code maxInFlight} batches are out, the queue (up to
 * {@code maxBatch} items) goes out at once - an idle service sees a batch of one without any wait.
 * While batches are out, new requests gather; the completion of a batch sends the next one. So
 * batches grow exactly when calls are slow or frequent, and no timer ever delays a request.
 *
 * <p><b>Deadlines.</b> Every request carries its own absolute deadline ({@link System#nanoTime()}).
 * A batch is sent with the earliest deadline of its items, so no caller's attempt outlives its
 * deadline because of the others; an item whose deadline has passed while it waited is failed with
 * {@link TimeoutException} without being sent.
 *
 * <p><b>Failures.</b> A failed batch fails each of its callers with the batch's failure; an answer
 * with the wrong number of results fails each with {@link IllegalStateException}. Retrying is the
 * caller's business: the batched operation must be idempotent per item (client-chosen keys), so an
 * item may be sent again in another batch.
 *
 * <p>Thread-safe and lock-free; the batch call must not block (start an asynchronous call and
 * return its future). Its completion may run on any thread (a transport's event loop).
 *
 * @param <Q> one item's request
 * @param <R> one item's result (success or per-item error, as the caller chooses to model it)
 */
public final class Coalescer<Q, R> {

    /** Sends one batch; the future holds one result per request, in order. Must not block. */
    @FunctionalInterface
    public interface BatchCall<Q, R> {
        /**
         * @param requests      at least one, at most {@code maxBatch}
         * @param deadlineNanos absolute, in {@link System#nanoTime()} terms: the earliest deadline of the items
         * @param waitForReady  whether any item asked to wait for the connection (a retry) instead of failing fast
         */
        CompletableFuture<List<R>> send(List<Q> requests, long deadlineNanos, boolean waitForReady);
    }

    private static final class Item<Q, R> {
        final Q request;
        final long deadlineNanos;
        final boolean waitForReady;
        final CompletableFuture<R> result = new CompletableFuture<>();

        Item(Q request, long deadlineNanos, boolean waitForReady) {
            this.request = request;
            this.deadlineNanos = deadlineNanos;
            this.waitForReady = waitForReady;
        }
    }

    private final BatchCall<Q, R> call;
    private final int maxBatch;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Item<Q, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Stats stats = new Stats();

    /**
     * @param maxBatch    the most items in one batch (at least 1)
     * @param maxInFlight the most batches out at the same time (at least 1); 1 coalesces most
     */
    public Coalescer(BatchCall<Q, R> call, int maxBatch, int maxInFlight) {
        this.call = Objects.requireNonNull(call, "call");
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Queues one request; the future completes with its result, or exceptionally with the batch's
     * failure or a {@link TimeoutException} when its deadline passed before it could be sent.
     *
     * @param deadlineNanos absolute, in {@link System#nanoTime()} terms
     */
    public CompletableFuture<R> submit(Q request, long deadlineNanos, boolean waitForReady) {
        Item<Q, R> item = new Item<>(Objects.requireNonNull(request, "request"), deadlineNanos, waitForReady);
        queue.add(item);
        sendWhatWaits();
        return item.result;
    }

    /** Requests queued, not yet sent (diagnostics, tests; counts the queue). */
    public int waiting() {
        return queue.size();
    }

    /** Counters since construction, for tests and diagnostics. */
    public Stats stats() {
        return stats;
    }

    /** How many batches were sent and how many items they carried. */
    public static final class Stats {
        private final AtomicInteger batches = new AtomicInteger();
        private final AtomicInteger items = new AtomicInteger();
        private final AtomicInteger largest = new AtomicInteger();

        public int batches() {
            return batches.get();
        }

        public int items() {
            return items.get();
        }

        public int largestBatch() {
            return largest.get();
        }

        void sent(int size) {
            batches.incrementAndGet();
            items.addAndGet(size);
            largest.accumulateAndGet(size, Math::max);
        }
    }

    private void sendWhatWaits() {
        while (!queue.isEmpty()) {
            int out = inFlight.get();
            if (out >= maxInFlight) {
                return; // the completion of a batch in flight sends what waits
            }
            if (!inFlight.compareAndSet(out, out + 1)) {
                continue;
            }
            List<Item<Q, R>> batch = drain();
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue; // someone else took them, or they had expired; look again
            }
            send(batch);
        }
    }

    private List<Item<Q, R>> drain() {
        List<Item<Q, R>> batch = new ArrayList<>(Math.min(maxBatch, 16));
        long now = System.nanoTime();
        Item<Q, R> item;
        while (batch.size() < maxBatch && (item = queue.poll()) != null) {
            if (item.deadlineNanos - now <= 0) {
                item.result.completeExceptionally(new TimeoutException("deadline passed while waiting to be sent"));
            } else if (!item.result.isDone()) {
                batch.add(item);
            }
        }
        return batch;
    }

    private void send(List<Item<Q, R>> batch) {
        List<Q> requests = new ArrayList<>(batch.size());
        long deadline = batch.get(0).deadlineNanos;
        boolean waitForReady = false;
        for (Item<Q, R> item : batch) {
            requests.add(item.request);
            if (item.deadlineNanos - deadline < 0) {
                deadline = item.deadlineNanos;
            }
            waitForReady |= item.waitForReady;
        }
        stats.sent(batch.size());
        CompletableFuture<List<R>> answer;
        try {
            answer = Objects.requireNonNull(call.send(List.copyOf(requests), deadline, waitForReady), "batch future");
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((results, failure) -> {
            try {
                distribute(batch, results, failure);
            } finally {
                inFlight.decrementAndGet();
                sendWhatWaits();
            }
        });
    }

    private static <Q, R> void distribute(List<Item<Q, R>> batch, List<R> results, Throwable failure) {
        if (failure == null && (results == null || results.size() != batch.size())) {
            failure = new IllegalStateException("the batch answered " + (results == null ? "nothing" : results.size()
                    + " result(s)") + " for " + batch.size() + " request(s)");
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failure != null) {
                batch.get(i).result.completeExceptionally(unwrap(failure));
            } else {
                batch.get(i).result.complete(results.get(i));
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
