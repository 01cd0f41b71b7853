package org.tradingdemo.adapter.grpc.oversight;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.proto.oversight.v1.DecisionEvent;
import org.tradingdemo.proto.oversight.v1.WatchDecisionsRequest;

/**
 * One WatchDecisions stream. It copies nothing: the authority's event log is the buffer and the stream
 * keeps only its cursor, sending while the transport is ready. Replay of the decisions that existed when the
 * watch began may take as long as the client needs; of the decisions taken since, at most {@code bufferSize}
 * may wait unsent, else the stream is cancelled with RESOURCE_EXHAUSTED and the client resumes from its
 * cursor (a slow watcher never slows a decision or holds memory).
 *
 * <p>Headers are sent at once, so a client knows the stream is open before the first decision arrives.
 * Every use of the {@link ServerCall} is under this object's lock (a call is not thread-safe).
 */
final class DecisionWatch extends ServerCall.Listener<WatchDecisionsRequest> {

    private static final Logger log = LoggerFactory.getLogger(DecisionWatch.class);
    private static final int BATCH = 32;

    private final ServerCall<WatchDecisionsRequest, DecisionEvent> call;
    private final OversightAuthority authority;
    private final int bufferSize;
    private final Executor executor;
    private final Consumer<DecisionWatch> onEnd;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    // guarded by this
    private long sent = -1;
    /** The newest decision when the watch began: up to it is replay, after it live decisions that count against the buffer. */
    private long horizon;
    private boolean closed;

    DecisionWatch(ServerCall<WatchDecisionsRequest, DecisionEvent> call, OversightAuthority authority, int bufferSize,
                  Executor executor, Consumer<DecisionWatch> onEnd) {
        this.call = call;
        this.authority = authority;
        this.bufferSize = bufferSize;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    synchronized void begin() {
        call.sendHeaders(new Metadata());
        call.request(1);
    }

    @Override
    public void onMessage(WatchDecisionsRequest request) {
        synchronized (this) {
            if (closed || sent >= 0) {
                return;
            }
            try {
                authority.eventsAfter(request.getAfterSequence(), 0); // validates the cursor
            } catch (StatusRuntimeException e) {
                end(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
                return;
            }
            sent = request.getAfterSequence();
            horizon = authority.lastSequence();
        }
        schedule();
    }

    @Override
    public void onReady() {
        schedule();
    }

    @Override
    public void onCancel() {
        synchronized (this) {
            closed = true;
        }
        onEnd.accept(this);
    }

    @Override
    public void onComplete() {
        onEnd.accept(this);
    }

    /** A decision was logged or the transport can take more: drain on the executor, coalesced. */
    void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    scheduled.set(false);
                    drain();
                });
            } catch (RuntimeException rejected) {
                // executor shut down: the server is closing and ends this stream itself
                scheduled.set(false);
            }
        }
    }

    /** Ends the stream with UNAVAILABLE so the client reconnects (to this server restarted, or another). */
    synchronized void shutdown() {
        end(Status.UNAVAILABLE.withDescription("oversight server shutting down; resume from your cursor"), new Metadata());
    }

    private synchronized void drain() {
        if (closed || sent < 0) {
            return;
        }
        try {
            while (call.isReady()) {
                List<DecisionEvent> batch = authority.eventsAfter(sent, BATCH);
                if (batch.isEmpty()) {
                    return;
                }
                for (DecisionEvent e : batch) {
                    call.sendMessage(e);
                    sent = e.getSequence();
                }
            }
            long behind = authority.lastSequence() - Math.max(sent, horizon);
            if (behind > bufferSize) {
                end(Status.RESOURCE_EXHAUSTED.withDescription("watcher fell " + behind
                        + " decisions behind (limit " + bufferSize + "); resume after sequence " + sent), new Metadata());
            }
        } catch (StatusRuntimeException e) {
            // the next decision left the log before this watcher read it
            end(Status.RESOURCE_EXHAUSTED.withDescription("watcher fell behind the kept decisions: "
                    + e.getStatus().getDescription()), e.getTrailers() == null ? new Metadata() : e.getTrailers());
        } catch (RuntimeException e) {
            log.error("WatchDecisions stream failed after sequence {}", sent, e);
            end(Status.INTERNAL.withDescription("internal error; resume after sequence " + sent), new Metadata());
        }
    }

    private void end(Status status, Metadata trailers) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            call.close(status, trailers);
        } catch (IllegalStateException alreadyClosed) {
            // cancelled by the client in the meantime
        }
        onEnd.accept(this);
    }
}
