package org.tradingdemo.proto.batching;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * What the gRPC clients of both services share around a {@link Coalescer}: turning a batch rpc's
 * answer into a future, and waiting for one caller's item so that its failure reads exactly as the
 * single rpc's would.
 */
public final class BatchRpc {

    /** How long past its own deadline a caller waits for its item: only guards against a lost callback. */
    public static final long AWAIT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private BatchRpc() {
    }

    /** The server does not know the batch rpc: the client falls back to the single rpcs. */
    public static final class BatchUnsupported extends RuntimeException {
        BatchUnsupported(Throwable cause) {
            super("batch rpc unimplemented", cause, false, false);
        }
    }

    /** The answer of a batch rpc, into a future; a server without the rpc becomes {@link BatchUnsupported}. */
    public static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(Status.fromThrowable(t).getCode() == Status.Code.UNIMPLEMENTED
                        ? new BatchUnsupported(t) : t);
            }

            @Override
            public void onCompleted() {
                if (!answer.isDone()) {
                    answer.completeExceptionally(Status.INTERNAL.withDescription("batch answered nothing").asRuntimeException());
                }
            }
        };
    }

    /**
     * Waits for this call's item of a batch; failures come out as the single rpc's would (a
     * {@link StatusRuntimeException}), a deadline that passed before the item was sent as
     * DEADLINE_EXCEEDED, a server without the batch rpc as {@link BatchUnsupported}.
     */
    public static <R> R await(CompletableFuture<R> item, long deadlineNanos) {
        try {
            // the batch has a deadline no later than this item's; the grace only guards against a lost callback
            return item.get(deadlineNanos + AWAIT_GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BatchUnsupported unsupported) {
                throw unsupported;
            }
            if (cause instanceof TimeoutException) {
                throw Status.DEADLINE_EXCEEDED.withDescription("deadline passed while waiting for a batch to go out")
                        .asRuntimeException();
            }
            throw cause instanceof StatusRuntimeException sre ? sre : Status.fromThrowable(cause).asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer to the batch").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted while waiting for the answer").withCause(e).asRuntimeException();
        }
    }
}
