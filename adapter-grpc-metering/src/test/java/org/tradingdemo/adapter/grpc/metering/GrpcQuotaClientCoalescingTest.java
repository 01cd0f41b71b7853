package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.metering.Wire.NOW;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.QuotaPort.Denied;
import org.tradingdemo.domain.port.QuotaPort.Granted;
import org.tradingdemo.domain.port.QuotaPort.QuotaDecision;
import org.tradingdemo.domain.port.QuotaPort.QuotaRequest;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;
import org.tradingdemo.proto.metering.v1.TrackUsageRequest;
import org.tradingdemo.proto.metering.v1.TrackUsageResponse;

/**
 * Coalescing in {@link GrpcQuotaClient} with real gRPC: the first batch is held at the server while
 * more callers arrive, so the next batch demonstrably gathers them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcQuotaClientCoalescingTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws Exception {
        callers.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** Holds the first batch rpc of the armed method until released; may fail the batches instead of answering. */
    private static final class Gate implements ServerInterceptor {
        final String method;
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        volatile Status failWith;
        volatile boolean holdAll;
        /** The first this many calls fail UNAVAILABLE. */
        volatile int failFirstCalls;

        Gate(String method) {
            this.method = method;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (!call.getMethodDescriptor().getFullMethodName().equals(method)) {
                return next.startCall(call, headers);
            }
            int nth = calls.incrementAndGet();
            if (nth == 1 || holdAll) {
                firstArrived.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Status fail = nth <= failFirstCalls ? Status.UNAVAILABLE.withDescription("blip") : failWith;
            if (fail != null) {
                call.close(fail, new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            }, headers);
        }
    }

    private MeteringBook book;

    private GrpcQuotaClient start(Gate gate, MeteringClientConfig tweak) {
        book = new MeteringBook(new MutableClock(NOW));
        String name = "metering-" + UUID.randomUUID();
        MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), book, List.of(gate))
                .startInProcess(name);
        resources.add(() -> server.close(Duration.ofSeconds(1)));
        GrpcQuotaClient client = new GrpcQuotaClient(new MeteringClientConfig(MeteringClientConfig.IN_PROCESS_PREFIX + name,
                tweak.deadline(), tweak.maxAttempts(), tweak.apiKey(), tweak.trustCa(), tweak.plaintext()));
        resources.add(client);
        return client;
    }

    private static QuotaLimits limits(int daily) {
        return new QuotaLimits(Money.usd(daily), Money.usd(1_000_000));
    }

    private Future<QuotaDecision> reserveAsync(GrpcQuotaClient client, String agent, int amount, QuotaLimits limits, String key) {
        return callers.submit(() -> client.reserve(new QuotaRequest(AgentId.of(agent), Money.usd(amount), limits, key)));
    }

    /** Waits until the server holds the first batch. */
    private static void awaitHeld(Gate gate) throws InterruptedException {
        assertTrue(gate.firstArrived.await(10, TimeUnit.SECONDS), "the first batch reached the server");
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void concurrentReservationsTravelAsOneBatchAndEachCallerGetsItsOwnAnswer() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));
        Future<QuotaDecision> first = reserveAsync(client, "agent-first", 1, limits(1_000), "trade-first");
        awaitHeld(gate);

        int n = 20;
        List<Future<QuotaDecision>> queued = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // each caller its own agent, amount and limit, so a mixed-up answer would show
            queued.add(reserveAsync(client, "agent-" + i, 10 + i, limits(1_000 + i), "trade-" + i));
        }
        // one more with a key the server refuses: it must fail alone
        String tooLong = "k".repeat(MeteringGrpcHandler.MAX_KEY_LENGTH + 1);
        Future<QuotaDecision> bad = reserveAsync(client, "agent-bad", 5, limits(1_000), tooLong);
        eventually(() -> client.waitingCalls() == n + 1, "every caller to queue behind the held batch");
        gate.release.countDown();

        assertInstanceOf(Granted.class, first.get(10, TimeUnit.SECONDS));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Granted g = assertInstanceOf(Granted.class, queued.get(i).get(10, TimeUnit.SECONDS));
            assertEquals(Money.usd(1_000 + i), g.check().limit(), "caller " + i + " got its own answer");
            assertTrue(ids.add(g.reservationId()));
            assertEquals(Money.usd(10 + i), client.status(AgentId.of("agent-" + i), limits(1_000 + i), UsagePeriod.DAILY).used());
        }
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("idempotency_key"), refused.getCause().getMessage());

        assertEquals(2, gate.calls.get(), "one held batch, then one batch with everyone who came meanwhile");
        var stats = client.batchStats();
        assertEquals(2, stats.batches());
        assertEquals(n + 2, stats.items());
        assertEquals(n + 1, stats.largestBatch());
        assertEquals(n + 1, book.openReservations());

        // completions coalesce too, and count
        List<Future<?>> done = new ArrayList<>();
        for (String id : ids) {
            done.add(callers.submit(() -> client.complete(id)));
        }
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, book.openReservations());
        assertEquals(2 * n + 2, client.batchStats().items());
    }

    @Test
    void reservationsInOneBatchStayAtomic() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));
        Future<QuotaDecision> first = reserveAsync(client, "agent-other", 1, limits(1_000), "trade-0");
        awaitHeld(gate);
        // two reservations that together exceed the agent's limit, in the same batch
        Future<QuotaDecision> a = reserveAsync(client, "agent-x", 600, limits(1_000), "trade-a");
        Future<QuotaDecision> b = reserveAsync(client, "agent-x", 600, limits(1_000), "trade-b");
        eventually(() -> client.waitingCalls() == 2, "both to queue");
        gate.release.countDown();

        first.get(10, TimeUnit.SECONDS);
        List<QuotaDecision> both = List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS));
        assertEquals(1, both.stream().filter(Granted.class::isInstance).count(), "exactly one fits");
        assertEquals(1, both.stream().filter(Denied.class::isInstance).count());
        assertEquals(2, client.batchStats().largestBatch());
    }

    @Test
    void reservationsAndCompletionsShareTheBatches() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));
        String open = book.reserve(AgentId.of("agent-1"), Money.usd(7), limits(1_000), "trade-0").reservationId().orElseThrow();
        Future<QuotaDecision> first = reserveAsync(client, "agent-0", 1, limits(1_000), "trade-first");
        awaitHeld(gate);
        Future<QuotaDecision> reservation = reserveAsync(client, "agent-2", 9, limits(1_000), "trade-9");
        Future<?> completion = callers.submit(() -> client.complete(open));
        eventually(() -> client.waitingCalls() == 2, "a reservation and a completion to queue");
        gate.release.countDown();

        assertInstanceOf(Granted.class, first.get(10, TimeUnit.SECONDS));
        assertInstanceOf(Granted.class, reservation.get(10, TimeUnit.SECONDS));
        completion.get(10, TimeUnit.SECONDS);
        assertEquals(2, gate.calls.get());
        assertEquals(2, client.batchStats().largestBatch(), "both in the second batch");
        assertEquals(2, book.openReservations(), "agent-0's and agent-2's open; agent-1's committed");
        assertEquals(Money.usd(7), client.status(AgentId.of("agent-1"), limits(1_000), UsagePeriod.DAILY).used());
    }

    @Test
    void aFailedBatchFailsEachOfItsCallersClosed() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20))
                .withMaxAttempts(1));
        gate.failWith = Status.UNAVAILABLE.withDescription("metering is down");
        Future<QuotaDecision> first = reserveAsync(client, "agent-0", 1, limits(1_000), "trade-0");
        awaitHeld(gate);
        List<Future<QuotaDecision>> queued = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            queued.add(reserveAsync(client, "agent-" + i, 1, limits(1_000), "trade-" + i));
        }
        eventually(() -> client.waitingCalls() == 5, "the callers to queue");
        gate.release.countDown();

        queued.add(first);
        for (Future<QuotaDecision> f : queued) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            MeteringUnavailableException unavailable = assertInstanceOf(MeteringUnavailableException.class, e.getCause());
            assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(unavailable.getCause()).getCode());
        }
        assertEquals(2, gate.calls.get(), "the five waiting callers failed together, in one batch");
        assertEquals(0, book.openReservations(), "nothing was reserved");
    }

    @Test
    void aCallerWaitingBehindAHungBatchStillGetsItsDeadline() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        Duration deadline = Duration.ofMillis(300);
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(deadline).withMaxAttempts(1));
        gate.holdAll = true; // a hung server
        resources.add(gate.release::countDown);
        Future<QuotaDecision> first = reserveAsync(client, "agent-0", 1, limits(1_000), "trade-0");
        awaitHeld(gate);
        long started = System.nanoTime();
        Future<QuotaDecision> waiting = reserveAsync(client, "agent-1", 1, limits(1_000), "trade-1");

        for (Future<QuotaDecision> f : List.of(first, waiting)) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            MeteringUnavailableException unavailable = assertInstanceOf(MeteringUnavailableException.class, e.getCause());
            assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(unavailable.getCause()).getCode());
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // the server holds the first batch for 20 s; the waiting caller gives up at its own deadline
        assertTrue(took < deadline.toMillis() + 3_000, "gave up after " + took + " ms");
    }

    @Test
    void aServerWithoutTheBatchRpcsIsCalledOneByOne() throws Exception {
        book = new MeteringBook(new MutableClock(NOW));
        MeteringGrpcHandler full = new MeteringGrpcHandler(book);
        AtomicInteger unary = new AtomicInteger();
        // an older metering service: TrackUsage and CompleteUsage only
        MeteringServiceGrpc.MeteringServiceImplBase older = new MeteringServiceGrpc.MeteringServiceImplBase() {
            @Override
            public void trackUsage(TrackUsageRequest request, StreamObserver<TrackUsageResponse> response) {
                unary.incrementAndGet();
                full.trackUsage(request, response);
            }
        };
        String name = "older-" + UUID.randomUUID();
        io.grpc.Server server = io.grpc.inprocess.InProcessServerBuilder.forName(name).addService(older).build().start();
        resources.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.inProcess(name));
        resources.add(client);
        assertTrue(client.coalescing());

        QuotaDecision d = client.reserve(new QuotaRequest(AgentId.of("agent-1"), Money.usd(5), limits(1_000), "trade-1"));
        assertInstanceOf(Granted.class, d);
        assertFalse(client.coalescing());
        client.reserve(new QuotaRequest(AgentId.of("agent-1"), Money.usd(5), limits(1_000), "trade-2"));
        assertEquals(2, unary.get());
        assertEquals(2, book.openReservations());
    }

    @Test
    void aStartedReservationIsSentAtOnceAndAwaitGivesItsAnswer() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));

        org.tradingdemo.domain.port.Pending<QuotaDecision> started =
                client.startReserve(new QuotaRequest(AgentId.of("agent-1"), Money.usd(5), limits(1_000), "trade-1"));

        awaitHeld(gate); // reached the server before anybody awaited it
        gate.release.countDown();
        assertInstanceOf(Granted.class, started.await());
        assertEquals(1, gate.calls.get(), "await sent nothing more");
        assertEquals(1, book.openReservations());
    }

    @Test
    void aStartedReservationWhoseFirstAttemptFailsIsRetriedWhenAwaitedAndReservesOnce() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));
        gate.failFirstCalls = 1;
        gate.release.countDown();
        org.tradingdemo.domain.port.Pending<QuotaDecision> started =
                client.startReserve(new QuotaRequest(AgentId.of("agent-1"), Money.usd(5), limits(1_000), "trade-1"));

        assertInstanceOf(Granted.class, started.await());
        assertEquals(2, gate.calls.get());
        assertEquals(1, book.openReservations());
    }

    @Test
    void aStartedReservationThatKeepsFailingIsMeteringUnavailableWhenAwaited() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20))
                .withMaxAttempts(2));
        gate.failWith = Status.UNAVAILABLE.withDescription("metering is down");
        gate.release.countDown();

        org.tradingdemo.domain.port.Pending<QuotaDecision> started =
                client.startReserve(new QuotaRequest(AgentId.of("agent-1"), Money.usd(5), limits(1_000), "trade-1"));

        MeteringUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(MeteringUnavailableException.class,
                started::await);
        assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(e.getCause()).getCode());
        assertEquals(2, gate.calls.get());
        assertEquals(0, book.openReservations());
    }

    @Test
    void completeAsyncCountsTheReservationWithoutBlockingAndIsIdempotent() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));
        gate.release.countDown();
        Granted granted = (Granted) client.reserve(new QuotaRequest(AgentId.of("agent-1"), Money.usd(5), limits(1_000),
                "trade-1"));

        java.util.concurrent.CompletableFuture<Void> completion = client.completeAsync(granted.reservationId());
        completion.get(10, TimeUnit.SECONDS);
        client.completeAsync(granted.reservationId()).get(10, TimeUnit.SECONDS);

        assertEquals(0, book.openReservations());
        assertEquals(0, Money.usd(5).amount().compareTo(
                book.standing(AgentId.of("agent-1"), UsagePeriod.DAILY, Money.usd(1_000)).used().amount()),
                "counted once");
    }

    @Test
    void completeAsyncFailsItsFutureWhenMeteringIsDownNeverTheCaller() throws Exception {
        Gate gate = new Gate(MeteringServiceGrpc.getUsageBatchMethod().getFullMethodName());
        GrpcQuotaClient client = start(gate, MeteringClientConfig.plaintext("x").withDeadline(Duration.ofSeconds(20)));
        gate.failWith = Status.UNAVAILABLE.withDescription("metering is down");
        gate.release.countDown();

        java.util.concurrent.CompletableFuture<Void> completion = client.completeAsync("res-1");

        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> completion.get(10, TimeUnit.SECONDS));
        MeteringUnavailableException unavailable = assertInstanceOf(MeteringUnavailableException.class, e.getCause());
        assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(unavailable.getCause()).getCode());
        assertEquals(1, gate.calls.get(), "one attempt: retrying is the outbox's business");
    }

    @Test
    void completeAsyncAgainstAServerWithoutTheBatchRpcUsesCompleteUsage() throws Exception {
        book = new MeteringBook(new MutableClock(NOW));
        MeteringGrpcHandler full = new MeteringGrpcHandler(book);
        AtomicInteger unary = new AtomicInteger();
        MeteringServiceGrpc.MeteringServiceImplBase older = new MeteringServiceGrpc.MeteringServiceImplBase() {
            @Override
            public void trackUsage(TrackUsageRequest request, StreamObserver<TrackUsageResponse> response) {
                full.trackUsage(request, response);
            }

            @Override
            public void completeUsage(org.tradingdemo.proto.metering.v1.CompleteUsageRequest request,
                                      StreamObserver<org.tradingdemo.proto.metering.v1.CompleteUsageResponse> response) {
                unary.incrementAndGet();
                full.completeUsage(request, response);
            }
        };
        String name = "older-" + UUID.randomUUID();
        io.grpc.Server server = io.grpc.inprocess.InProcessServerBuilder.forName(name).addService(older).build().start();
        resources.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.inProcess(name));
        resources.add(client);
        String open = book.reserve(AgentId.of("agent-1"), Money.usd(7), limits(1_000), "trade-0").reservationId().orElseThrow();

        client.completeAsync(open).get(10, TimeUnit.SECONDS);

        assertFalse(client.coalescing());
        assertEquals(1, unary.get());
        assertEquals(0, book.openReservations());
    }
}
