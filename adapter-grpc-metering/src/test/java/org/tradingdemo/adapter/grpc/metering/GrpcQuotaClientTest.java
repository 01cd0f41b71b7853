package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.metering.Wire.DAY_END;
import static org.tradingdemo.adapter.grpc.metering.Wire.MONTH_END;
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

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.port.QuotaPort.Denied;
import org.tradingdemo.domain.port.QuotaPort.Granted;
import org.tradingdemo.domain.port.QuotaPort.QuotaDecision;
import org.tradingdemo.domain.port.QuotaPort.QuotaRequest;

/** The QuotaPort adapter against the reference server over the in-process transport. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrpcQuotaClientTest {

    static final AgentId AGENT = AgentId.of("agent-1");
    static final QuotaLimits LIMITS = new QuotaLimits(Money.usd(1_000), Money.usd(10_000));

    private MutableClock clock;
    private MeteringGrpcServer server;
    private GrpcQuotaClient client;

    @BeforeEach
    void start() {
        clock = new MutableClock(NOW);
        server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), clock).startInProcess("metering-" + UUID.randomUUID());
        client = new GrpcQuotaClient(MeteringClientConfig.inProcess(server.inProcessName().orElseThrow()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close(Duration.ofSeconds(1));
    }

    static QuotaDecision reserve(GrpcQuotaClient client, String amount, String key) {
        return client.reserve(new QuotaRequest(AGENT, Money.usd(amount), LIMITS, key));
    }

    private String granted(String amount, String key) {
        return assertInstanceOf(Granted.class, reserve(client, amount, key)).reservationId();
    }

    private Money usedToday() {
        return client.status(AGENT, LIMITS, UsagePeriod.DAILY).used();
    }

    @Test
    void aGrantedReservationCarriesTheDecidingWindow() {
        Granted granted = assertInstanceOf(Granted.class, reserve(client, "600", "trade-1"));

        assertTrue(granted.reservationId().startsWith("res-"));
        assertEquals(new QuotaCheck(true, UsagePeriod.DAILY, Money.usd(0), Money.usd(1_000), Money.usd(1_000), DAY_END),
                granted.check(), "the same check the local quota gives");
        assertEquals(Money.usd(600), usedToday());
    }

    @Test
    void aDeniedReservationSaysWhy() {
        granted("600", "trade-1");

        Denied denied = assertInstanceOf(Denied.class, reserve(client, "500", "trade-2"));

        assertEquals(new QuotaCheck(false, UsagePeriod.DAILY, Money.usd(600), Money.usd(400), Money.usd(1_000), DAY_END),
                denied.check());
    }

    @Test
    void reserveIsIdempotentByKey() {
        String first = granted("600", "trade-1");
        assertEquals(first, granted("600", "trade-1"));
        assertEquals(Money.usd(600), usedToday());
    }

    @Test
    void completeAndReleaseAreIdempotentAndToleratesUnknownIds() {
        String committed = granted("600", "trade-1");
        String released = granted("300", "trade-2");

        client.complete(committed);
        client.complete(committed);
        client.release(released);
        client.release(released);
        client.complete(released);
        assertDoesNotThrow(() -> client.release("res-unknown"));

        assertEquals(Money.usd(600), usedToday());
        assertEquals(0, server.book().openReservations());
    }

    @Test
    void statusOfEitherPeriod() {
        client.complete(granted("250.50", "trade-1"));

        assertEquals(new QuotaCheck(true, UsagePeriod.DAILY, Money.usd("250.50"), Money.usd("749.50"), Money.usd(1_000), DAY_END),
                client.status(AGENT, LIMITS, UsagePeriod.DAILY));
        assertEquals(new QuotaCheck(true, UsagePeriod.MONTHLY, Money.usd("250.50"), Money.usd("9749.50"), Money.usd(10_000),
                MONTH_END), client.status(AGENT, LIMITS, UsagePeriod.MONTHLY));
    }

    @Test
    void statusAtTheLimitIsStillAllowedLikeTheLocalQuota() {
        granted("1000", "trade-1");
        QuotaCheck check = client.status(AGENT, LIMITS, UsagePeriod.DAILY);
        assertTrue(check.allowed());
        assertEquals(Money.usd(0), check.remaining());
    }

    @Test
    void moneyIsExactEndToEnd() {
        client.complete(granted("0.1", "trade-1"));
        granted("0.2", "trade-2");

        Money used = usedToday();
        assertEquals(Money.usd("0.30"), used);
        assertEquals("0.30", used.amount().toPlainString());
        assertEquals("999.70", client.status(AGENT, LIMITS, UsagePeriod.DAILY).remaining().amount().toPlainString());
    }

    @Test
    void aRequestTheServerRefusesIsABugNotAnOutage() {
        granted("600", "trade-1");
        IllegalStateException reused = assertThrows(IllegalStateException.class, () -> reserve(client, "601", "trade-1"));
        assertEquals(Status.Code.INVALID_ARGUMENT, ((StatusRuntimeException) reused.getCause()).getStatus().getCode());

        IllegalStateException longKey = assertThrows(IllegalStateException.class, () -> reserve(client, "1", "k".repeat(200)));
        assertTrue(longKey.getMessage().contains("idempotency_key must be at most 128 characters"), longKey.getMessage());
    }

    @Test
    void theApiKeyIsSentWhenConfigured() {
        String name = "metering-" + UUID.randomUUID();
        try (MeteringGrpcServer guarded = new MeteringGrpcServer(MeteringServerConfig.loopback(0).withApiKey("s3cret"), clock)
                .startInProcess(name);
             GrpcQuotaClient without = new GrpcQuotaClient(MeteringClientConfig.inProcess(name));
             GrpcQuotaClient wrong = new GrpcQuotaClient(MeteringClientConfig.inProcess(name).withApiKey("guess"));
             GrpcQuotaClient right = new GrpcQuotaClient(MeteringClientConfig.inProcess(name).withApiKey("s3cret"))) {

            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> reserve(without, "1", "trade-1"));
            assertEquals(Status.Code.UNAUTHENTICATED, ((StatusRuntimeException) missing.getCause()).getStatus().getCode());
            assertThrows(IllegalStateException.class, () -> wrong.status(AGENT, LIMITS, UsagePeriod.DAILY));
            assertThrows(IllegalStateException.class, () -> wrong.complete("res-1"));
            assertEquals(0, guarded.book().openReservations());

            assertInstanceOf(Granted.class, reserve(right, "1", "trade-1"));
            assertEquals(1, guarded.book().openReservations());
        }
    }

    @Test
    void aClosedClientRefusesCalls() {
        client.close();
        assertThrows(IllegalStateException.class, () -> reserve(client, "1", "trade-1"));
        assertFalse(client.isReady());
        client.close(); // idempotent
    }

    @Test
    void readinessFollowsTheChannel() throws Exception {
        assertTrue(eventually(client::isReady), "connects on the first probe and is ready on a later one");
        reserve(client, "1", "trade-1");
        assertTrue(client.isReady());

        server.close(Duration.ofSeconds(1));
        assertTrue(eventually(() -> !client.isReady()), "not ready once the server is gone");
    }

    static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void concurrentReservationsThroughTheClientNeverExceedTheLimit() throws Exception {
        QuotaLimits limits = new QuotaLimits(Money.usd("100.00"), Money.usd(100_000));
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<QuotaDecision>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String key = "trade-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return client.reserve(new QuotaRequest(AGENT, Money.usd("12.50"), limits, key));
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<QuotaDecision> f : results) {
                if (f.get(10, TimeUnit.SECONDS) instanceof Granted g) {
                    ids.add(g.reservationId());
                }
            }
            assertEquals(8, ids.size(), "exactly 8 × 12.50 fit in 100.00");
            assertEquals(Money.usd("100.00"), client.status(AGENT, limits, UsagePeriod.DAILY).used());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientConfigIsValidatedAndNeverPrintsTheKey() {
        assertThrows(IllegalArgumentException.class, () -> MeteringClientConfig.plaintext(""));
        assertThrows(IllegalArgumentException.class, () -> MeteringClientConfig.plaintext("x").withDeadline(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> MeteringClientConfig.plaintext("x").withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> MeteringClientConfig.plaintext("x").withMaxAttempts(11));
        assertThrows(IllegalArgumentException.class, () -> MeteringClientConfig.inProcess(""));
        assertThrows(IllegalArgumentException.class, () -> new MeteringClientConfig("x", Duration.ofSeconds(1), 3,
                java.util.Optional.empty(), java.util.Optional.of(java.nio.file.Path.of("ca.pem")), true));
        MeteringClientConfig config = MeteringClientConfig.plaintext("dns:///127.0.0.1:1").withApiKey("s3cret");
        assertEquals(Duration.ofMillis(300), config.deadline());
        assertEquals(3, config.maxAttempts());
        assertFalse(config.toString().contains("s3cret"), config.toString());
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        for (int i = 0; i < 100; i++) {
            Duration first = GrpcQuotaClient.backoff(1);
            Duration second = GrpcQuotaClient.backoff(2);
            Duration late = GrpcQuotaClient.backoff(30);
            assertTrue(first.compareTo(Duration.ofMillis(25)) >= 0 && first.compareTo(Duration.ofMillis(50)) <= 0, first.toString());
            assertTrue(second.compareTo(Duration.ofMillis(50)) >= 0 && second.compareTo(Duration.ofMillis(100)) <= 0, second.toString());
            assertTrue(late.compareTo(Duration.ofMillis(500)) >= 0 && late.compareTo(Duration.ofSeconds(1)) <= 0, late.toString());
        }
    }
}
