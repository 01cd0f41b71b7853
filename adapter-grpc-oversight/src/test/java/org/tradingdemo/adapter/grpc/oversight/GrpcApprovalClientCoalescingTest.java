package org.tradingdemo.adapter.grpc.oversight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchResponse;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResult;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;
import org.tradingdemo.proto.oversight.v1.RiskLevel;

/**
 * Coalescing of risk evaluations in {@link GrpcApprovalClient} with real gRPC: a scripted server holds the
 * first batch while more evaluations arrive, so the next batch demonstrably gathers them.
 */
@Timeout(60)
class GrpcApprovalClientCoalescingTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final Agent agent = Fixtures.agent(Fixtures.OWNER);

    @AfterEach
    void tearDown() throws Exception {
        callers.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** Answers each item with its own trade id as the reason; holds the first batch until released. */
    private static final class Scripted extends OversightServiceGrpc.OversightServiceImplBase {
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        volatile Status failWith;

        @Override
        public void evaluateRiskBatch(EvaluateRiskBatchRequest request, StreamObserver<EvaluateRiskBatchResponse> out) {
            batchSizes.add(request.getRequestsCount());
            if (batchSizes.size() == 1) {
                firstArrived.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failWith != null) {
                out.onError(failWith.asRuntimeException());
                return;
            }
            EvaluateRiskBatchResponse.Builder b = EvaluateRiskBatchResponse.newBuilder();
            for (EvaluateRiskRequest item : request.getRequestsList()) {
                b.addResults(EvaluateRiskResult.newBuilder().setResponse(verdict(item)));
            }
            out.onNext(b.build());
            out.onCompleted();
        }

        static EvaluateRiskResponse verdict(EvaluateRiskRequest item) {
            return EvaluateRiskResponse.newBuilder().setLevel(RiskLevel.RISK_LEVEL_LOW).setRequiresApproval(false)
                    .addReasons(item.getTrade().getTradeId()).build();
        }
    }

    private GrpcApprovalClient client(OversightServiceGrpc.OversightServiceImplBase service, int maxAttempts) throws Exception {
        String name = Fixtures.uid("scripted");
        Server server = InProcessServerBuilder.forName(name).addService(service).build().start();
        resources.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        GrpcApprovalClient client = new GrpcApprovalClient(OversightClientConfig.of(OversightClientConfig.IN_PROCESS_PREFIX + name)
                .withDeadline(Duration.ofSeconds(20)).withRetries(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(20)),
                id -> Optional.empty());
        resources.add(client);
        return client;
    }

    private Future<RiskAssessment> evaluateAsync(GrpcApprovalClient client, Trade trade) {
        return callers.submit(() -> client.evaluate(agent, trade, Fixtures.portfolio(agent)));
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void concurrentEvaluationsTravelAsOneBatchAndEachCallerGetsItsOwnVerdict() throws Exception {
        Scripted scripted = new Scripted();
        GrpcApprovalClient client = client(scripted, 3);
        Future<RiskAssessment> first = evaluateAsync(client, Fixtures.trade(agent, Side.BUY, "1", "10"));
        assertTrue(scripted.firstArrived.await(10, TimeUnit.SECONDS));

        int n = 12;
        List<Trade> trades = new ArrayList<>();
        List<Future<RiskAssessment>> queued = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Trade t = Fixtures.trade(agent, Side.BUY, Integer.toString(i + 1), "10");
            trades.add(t);
            queued.add(evaluateAsync(client, t));
        }
        eventually(() -> client.batchStats() != null && waiting(client) == n);
        scripted.release.countDown();

        first.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            RiskAssessment r = queued.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(trades.get(i).id().value()), r.reasons(), "caller " + i + " got its own verdict");
        }
        assertEquals(List.of(1, n), scripted.batchSizes);
        assertEquals(2, client.batchStats().batches());
        assertEquals(n, client.batchStats().largestBatch());
    }

    @Test
    void aFailedBatchFailsEachOfItsCallersClosed() throws Exception {
        Scripted scripted = new Scripted();
        scripted.failWith = Status.UNAVAILABLE.withDescription("oversight is down");
        GrpcApprovalClient client = client(scripted, 1);
        Future<RiskAssessment> first = evaluateAsync(client, Fixtures.trade(agent, Side.BUY, "1", "10"));
        assertTrue(scripted.firstArrived.await(10, TimeUnit.SECONDS));
        List<Future<RiskAssessment>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(evaluateAsync(client, Fixtures.trade(agent, Side.BUY, "2", "10")));
        }
        eventually(() -> waiting(client) == 4);
        scripted.release.countDown();
        all.add(first);
        for (Future<RiskAssessment> f : all) {
            Exception e = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            OversightUnavailableException u = assertInstanceOf(OversightUnavailableException.class, e.getCause());
            assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(u.getCause()).getCode());
        }
        assertEquals(List.of(1, 4), scripted.batchSizes);
    }

    @Test
    void aServerWithoutTheBatchRpcIsCalledOneByOne() throws Exception {
        AtomicInteger unary = new AtomicInteger();
        GrpcApprovalClient client = client(new OversightServiceGrpc.OversightServiceImplBase() {
            @Override
            public void evaluateRisk(EvaluateRiskRequest request, StreamObserver<EvaluateRiskResponse> out) {
                unary.incrementAndGet();
                out.onNext(Scripted.verdict(request));
                out.onCompleted();
            }
        }, 3);
        assertTrue(client.coalescing());
        Trade t = Fixtures.trade(agent, Side.BUY, "1", "10");
        assertEquals(List.of(t.id().value()), client.evaluate(agent, t, Fixtures.portfolio(agent)).reasons());
        assertFalse(client.coalescing());
        client.evaluate(agent, t, Fixtures.portfolio(agent));
        assertEquals(2, unary.get());
    }

    private static int waiting(GrpcApprovalClient client) {
        return client.waitingEvaluations();
    }

    @Test
    void aStartedEvaluationIsSentAtOnceAndAwaitGivesItsVerdict() throws Exception {
        Scripted scripted = new Scripted();
        GrpcApprovalClient client = client(scripted, 3);
        Trade t = Fixtures.trade(agent, Side.BUY, "1", "10");

        org.tradingdemo.domain.port.Pending<RiskAssessment> started = client.startEvaluate(agent, t, Fixtures.portfolio(agent));

        assertTrue(scripted.firstArrived.await(10, TimeUnit.SECONDS), "sent before anybody awaited it");
        scripted.release.countDown();
        assertEquals(List.of(t.id().value()), started.await().reasons());
        assertEquals(List.of(1), scripted.batchSizes, "await sent nothing more");
    }

    @Test
    void aStartedEvaluationWhoseFirstAttemptFailsIsRetriedWhenAwaited() throws Exception {
        AtomicInteger batches = new AtomicInteger();
        GrpcApprovalClient client = client(new OversightServiceGrpc.OversightServiceImplBase() {
            @Override
            public void evaluateRiskBatch(EvaluateRiskBatchRequest request, StreamObserver<EvaluateRiskBatchResponse> out) {
                if (batches.incrementAndGet() == 1) {
                    out.onError(Status.UNAVAILABLE.withDescription("blip").asRuntimeException());
                    return;
                }
                EvaluateRiskBatchResponse.Builder b = EvaluateRiskBatchResponse.newBuilder();
                request.getRequestsList().forEach(item -> b.addResults(EvaluateRiskResult.newBuilder().setResponse(Scripted.verdict(item))));
                out.onNext(b.build());
                out.onCompleted();
            }
        }, 3);
        Trade t = Fixtures.trade(agent, Side.BUY, "1", "10");

        RiskAssessment verdict = client.startEvaluate(agent, t, Fixtures.portfolio(agent)).await();

        assertEquals(List.of(t.id().value()), verdict.reasons());
        assertEquals(2, batches.get());
    }

    @Test
    void aStartedEvaluationThatKeepsFailingIsOversightUnavailableWhenAwaited() throws Exception {
        Scripted scripted = new Scripted();
        scripted.failWith = Status.UNAVAILABLE.withDescription("oversight is down");
        scripted.release.countDown();
        GrpcApprovalClient client = client(scripted, 2);
        Trade t = Fixtures.trade(agent, Side.BUY, "1", "10");

        org.tradingdemo.domain.port.Pending<RiskAssessment> started = client.startEvaluate(agent, t, Fixtures.portfolio(agent));

        OversightUnavailableException u = assertThrows(OversightUnavailableException.class, started::await);
        assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(u.getCause()).getCode());
        assertEquals(List.of(1, 1), scripted.batchSizes, "two attempts, as for evaluate");
    }
}
