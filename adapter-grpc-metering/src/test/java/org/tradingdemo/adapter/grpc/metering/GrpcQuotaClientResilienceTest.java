package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.AGENT;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.LIMITS;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.eventually;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.reserve;
import static org.tradingdemo.adapter.grpc.metering.Wire.NOW;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.QuotaPort.Granted;

/** Outages, restarts and slow answers over loopback Netty (port 0) and in-process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcQuotaClientResilienceTest {

    /** What a failing call may take beyond its attempts' deadlines and backoffs on a busy CI box. */
    private static final long MARGIN_MILLIS = 1_500;
    private static final long MAX_BACKOFF_SUM_MILLIS = 50 + 100;

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void aStoppedServerIsAnOutageWithinTheBudgetAndARestartIsPickedUpByTheSameClient() throws Exception {
        MeteringBook book = new MeteringBook(new MutableClock(NOW));
        MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), book, List.of()).start();
        int port = server.port();
        MeteringClientConfig config = MeteringClientConfig.plaintext(server.target());
        try (GrpcQuotaClient client = new GrpcQuotaClient(config)) {
            assertInstanceOf(Granted.class, reserve(client, "1", "trade-0"));
            server.close();

            long started = System.nanoTime();
            MeteringUnavailableException e = assertThrows(MeteringUnavailableException.class,
                    () -> reserve(client, "10", "trade-1"));
            long took = millisSince(started);

            long budget = config.maxAttempts() * config.deadline().toMillis() + MAX_BACKOFF_SUM_MILLIS;
            assertTrue(took < budget + MARGIN_MILLIS, "gave up after " + took + " ms; budget " + budget + " ms");
            assertEquals(Duration.ofSeconds(2), e.retryAfter());
            // the first attempt fails fast (UNAVAILABLE); the wait-for-ready retries run into their deadline
            assertTrue(Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED)
                    .contains(Status.fromThrowable(e.getCause()).getCode()), e.getCause().toString());
            assertTrue(e.getMessage().contains("after 3 attempt(s)"), e.getMessage());
            assertTrue(e.getMessage().contains("first: UNAVAILABLE"), e.getMessage());
            assertThrows(MeteringUnavailableException.class, () -> client.status(AGENT, LIMITS, UsagePeriod.DAILY));
            assertThrows(MeteringUnavailableException.class, () -> client.complete("res-x"));
            assertTrue(eventually(() -> !client.isReady()));

            server = new MeteringGrpcServer(MeteringServerConfig.loopback(port), book, List.of()).start();

            assertEquals(Money.usd(1), client.status(AGENT, LIMITS, UsagePeriod.DAILY).used(),
                    "the same client is back at once; the failed reservation reserved nothing");
            assertEquals(1, book.openReservations());
            assertInstanceOf(Granted.class, reserve(client, "10", "trade-1"));
            assertTrue(client.isReady());
        } finally {
            server.close();
        }
    }

    @Test
    void readinessRecoversWithoutAnyCallWhenTheServerReturns() throws Exception {
        MeteringBook book = new MeteringBook(new MutableClock(NOW));
        MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), book, List.of()).start();
        int port = server.port();
        try (GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.plaintext(server.target()))) {
            assertTrue(eventually(client::isReady));
            server.close();
            assertTrue(eventually(() -> !client.isReady()));

            Thread.sleep(1_500); // long enough for the channel's own reconnect backoff to have grown
            server = new MeteringGrpcServer(MeteringServerConfig.loopback(port), book, List.of()).start();
            long started = System.nanoTime();
            assertTrue(eventually(client::isReady));
            assertTrue(millisSince(started) < 1_000, "ready again after " + millisSince(started) + " ms");
        } finally {
            server.close();
        }
    }

    @Test
    void anInProcessServerThatIsGoneIsAnOutageToo() {
        MeteringClientConfig config = MeteringClientConfig.inProcess("nobody-" + UUID.randomUUID());
        try (GrpcQuotaClient client = new GrpcQuotaClient(config)) {
            long started = System.nanoTime();
            assertThrows(MeteringUnavailableException.class, () -> reserve(client, "1", "trade-1"));
            long budget = config.maxAttempts() * config.deadline().toMillis() + MAX_BACKOFF_SUM_MILLIS;
            assertTrue(millisSince(started) < budget + MARGIN_MILLIS);
        }
    }

    /**
     * Once armed, holds every call {@code delay} before it reaches the handler. Tests warm the
     * connection up first, so a cold JVM's first connection does not eat an attempt's deadline.
     */
    private static final class SlowServer implements ServerInterceptor {
        final AtomicInteger calls = new AtomicInteger();
        final Duration delay;
        volatile boolean armed;

        SlowServer(Duration delay) {
            this.delay = delay;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (armed) {
                calls.incrementAndGet();
                sleep(delay);
            }
            return next.startCall(call, headers);
        }
    }

    /** Once armed, lets the first call do its work but holds its answer {@code delay}; later calls answer at once. */
    private static final class SlowFirstAnswer implements ServerInterceptor {
        final AtomicInteger calls = new AtomicInteger();
        final Duration delay;
        volatile boolean armed;

        SlowFirstAnswer(Duration delay) {
            this.delay = delay;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (!armed || calls.incrementAndGet() > 1) {
                return next.startCall(call, headers);
            }
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    sleep(delay);
                    super.close(status, trailers);
                }
            }, headers);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aServerSlowerThanTheDeadlineIsRetriedThenAnOutage() throws Exception {
        SlowServer slow = new SlowServer(Duration.ofMillis(600));
        MeteringBook book = new MeteringBook(new MutableClock(NOW));
        try (MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), book, List.of(slow)).start()) {
            MeteringClientConfig config = MeteringClientConfig.plaintext(server.target()).withDeadline(Duration.ofMillis(200));
            try (GrpcQuotaClient client = new GrpcQuotaClient(config)) {
                warmUp(server);
                assertTrue(eventually(client::isReady)); // connected: a cold first connection eats no deadline
                slow.armed = true;
                long started = System.nanoTime();
                MeteringUnavailableException e = assertThrows(MeteringUnavailableException.class,
                        () -> reserve(client, "10", "trade-1"));
                long took = millisSince(started);

                assertEquals(Status.Code.DEADLINE_EXCEEDED, ((StatusRuntimeException) e.getCause()).getStatus().getCode());
                assertTrue(eventually(() -> slow.calls.get() == 3), "every attempt reached the server: " + slow.calls.get());
                assertTrue(took >= 3 * 200, "each attempt waited its deadline: " + took + " ms");
                assertTrue(took < 3 * 200 + MAX_BACKOFF_SUM_MILLIS + MARGIN_MILLIS, "bounded: " + took + " ms");
                // attempts that timed out may still have been served late: the key keeps it to one reservation
                assertTrue(book.openReservations() <= 1, "at most one reservation for one key");
            }
        }
    }

    @Test
    void aTimedOutAttemptIsRetriedAndTheKeyKeepsItToOneReservation() throws Exception {
        SlowFirstAnswer slowFirst = new SlowFirstAnswer(Duration.ofMillis(500));
        MeteringBook book = new MeteringBook(new MutableClock(NOW));
        try (MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), book, List.of(slowFirst)).start()) {
            MeteringClientConfig config = MeteringClientConfig.plaintext(server.target()).withDeadline(Duration.ofMillis(200));
            try (GrpcQuotaClient client = new GrpcQuotaClient(config)) {
                warmUp(server);
                assertTrue(eventually(client::isReady)); // connected: a cold first connection eats no deadline
                slowFirst.armed = true;
                Granted granted = assertInstanceOf(Granted.class, reserve(client, "600", "trade-1"));

                assertEquals(2, slowFirst.calls.get(), "the first attempt timed out, the second answered");
                assertEquals(1, book.openReservations());
                assertEquals(Money.usd(600), client.status(AGENT, LIMITS, UsagePeriod.DAILY).used(), "reserved once");
                assertEquals(granted.reservationId(),
                        assertInstanceOf(Granted.class, reserve(client, "600", "trade-1")).reservationId());
            }
        }
    }

    @Test
    void withOneAttemptThereIsNoRetry() throws Exception {
        SlowServer slow = new SlowServer(Duration.ofMillis(400));
        try (MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0),
                new MeteringBook(new MutableClock(NOW)), List.of(slow)).start();
             GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.plaintext(server.target())
                     .withDeadline(Duration.ofMillis(100)).withMaxAttempts(1))) {
            warmUp(server);
            assertTrue(eventually(client::isReady));
            slow.armed = true;
            long started = System.nanoTime();
            assertThrows(MeteringUnavailableException.class, () -> client.status(AGENT, LIMITS, UsagePeriod.DAILY));
            assertTrue(millisSince(started) < 100 + MARGIN_MILLIS);
            assertTrue(eventually(() -> slow.calls.get() == 1), "the one attempt reached the server");
            Thread.sleep(300);
            assertEquals(1, slow.calls.get(), "and was not repeated");
        }
    }

    /** One call through a patient client, so the server's first-call class loading is not timed by a test. */
    private static void warmUp(MeteringGrpcServer server) {
        try (GrpcQuotaClient patient = new GrpcQuotaClient(MeteringClientConfig.plaintext(server.target())
                .withDeadline(Duration.ofSeconds(5)))) {
            patient.release("res-warm-up"); // unknown: answered, changes nothing
        }
    }
}
