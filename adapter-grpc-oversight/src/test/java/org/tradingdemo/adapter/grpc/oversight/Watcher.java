package org.tradingdemo.adapter.grpc.oversight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.tradingdemo.proto.oversight.v1.DecisionEvent;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;
import org.tradingdemo.proto.oversight.v1.WatchDecisionsRequest;

/** A WatchDecisions client for tests: events into a queue, the final status into a future. */
final class Watcher implements ClientResponseObserver<WatchDecisionsRequest, DecisionEvent>, AutoCloseable {

    final BlockingQueue<DecisionEvent> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<WatchDecisionsRequest> call;

    static Watcher open(OversightServiceGrpc.OversightServiceStub stub, long afterSequence) {
        Watcher w = new Watcher();
        stub.watchDecisions(WatchDecisionsRequest.newBuilder().setAfterSequence(afterSequence).build(), w);
        return w;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchDecisionsRequest> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(DecisionEvent value) {
        events.add(value);
    }

    @Override
    public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        closed.complete(Status.OK);
    }

    List<DecisionEvent> take(int n) {
        return take(n, Duration.ofSeconds(15));
    }

    List<DecisionEvent> take(int n, Duration timeout) {
        List<DecisionEvent> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            try {
                DecisionEvent e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("got " + out.size() + " of " + n + " events: " + out);
                }
                out.add(e);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
        return out;
    }

    Status awaitClose() {
        try {
            return closed.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream did not close", e);
        }
    }

    @Override
    public void close() {
        if (call != null && !closed.isDone()) {
            call.cancel("test done", null);
        }
    }
}
