package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.metering.Wire.DAY_END;
import static org.tradingdemo.adapter.grpc.metering.Wire.DAY_START;
import static org.tradingdemo.adapter.grpc.metering.Wire.MONTH_END;
import static org.tradingdemo.adapter.grpc.metering.Wire.MONTH_START;
import static org.tradingdemo.adapter.grpc.metering.Wire.NOW;
import static org.tradingdemo.adapter.grpc.metering.Wire.instant;
import static org.tradingdemo.adapter.grpc.metering.Wire.limits;
import static org.tradingdemo.adapter.grpc.metering.Wire.ts;
import static org.tradingdemo.adapter.grpc.metering.Wire.usd;

import java.time.Duration;
import java.time.Instant;
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
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradingdemo.proto.metering.v1.CheckQuotaRequest;
import org.tradingdemo.proto.metering.v1.CheckQuotaResponse;
import org.tradingdemo.proto.metering.v1.CompleteUsageRequest;
import org.tradingdemo.proto.metering.v1.CompleteUsageResponse;
import org.tradingdemo.proto.metering.v1.GetQuotaStatusRequest;
import org.tradingdemo.proto.metering.v1.GetUsageRequest;
import org.tradingdemo.proto.metering.v1.GetUsageResponse;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;
import org.tradingdemo.proto.metering.v1.Period;
import org.tradingdemo.proto.metering.v1.QuotaState;
import org.tradingdemo.proto.metering.v1.QuotaStatus;
import org.tradingdemo.proto.metering.v1.RecordEventRequest;
import org.tradingdemo.proto.metering.v1.RecordEventResponse;
import org.tradingdemo.proto.metering.v1.TrackUsageRequest;
import org.tradingdemo.proto.metering.v1.TrackUsageResponse;
import org.tradingdemo.proto.metering.v1.UsageBatchItem;
import org.tradingdemo.proto.metering.v1.UsageBatchRequest;
import org.tradingdemo.proto.metering.v1.UsageBatchResponse;
import org.tradingdemo.proto.metering.v1.UsageByType;

/** Every rpc of the reference server over the in-process transport, with raw stubs. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeteringGrpcServerTest {

    private static final String AGENT = "agent-1";

    private MutableClock clock;
    private MeteringGrpcServer server;
    private ManagedChannel channel;
    private MeteringServiceGrpc.MeteringServiceBlockingStub stub;

    @BeforeEach
    void start() {
        clock = new MutableClock(NOW);
        String name = "metering-" + UUID.randomUUID();
        server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), clock).startInProcess(name);
        channel = InProcessChannelBuilder.forName(name).build();
        stub = MeteringServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close(Duration.ofSeconds(1));
    }

    private static TrackUsageRequest track(String agent, String amount, String key) {
        return TrackUsageRequest.newBuilder().setAgentId(agent).setAmount(usd(amount))
                .setLimits(limits("1000.00", "10000.00")).setIdempotencyKey(key).build();
    }

    private TrackUsageResponse reserve(String amount, String key) {
        return stub.trackUsage(track(AGENT, amount, key));
    }

    private CompleteUsageResponse.Result complete(String reservationId, CompleteUsageRequest.Outcome outcome) {
        return stub.completeUsage(CompleteUsageRequest.newBuilder().setReservationId(reservationId).setOutcome(outcome).build())
                .getResult();
    }

    private QuotaStatus status(Period period, String daily, String monthly) {
        return stub.getQuotaStatus(GetQuotaStatusRequest.newBuilder().setAgentId(AGENT).setPeriod(period)
                .setLimits(limits(daily, monthly)).build()).getStatus();
    }

    private QuotaStatus daily() {
        return status(Period.PERIOD_DAILY, "1000.00", "10000.00");
    }

    // --- CheckQuota ---------------------------------------------------------------------------

    @Test
    void checkQuotaAnswersWithoutReserving() {
        CheckQuotaResponse fits = stub.checkQuota(CheckQuotaRequest.newBuilder().setAgentId(AGENT).setAmount(usd("1000"))
                .setLimits(limits("1000", "10000")).build());
        assertTrue(fits.getAllowed(), "exactly up to the limit fits");
        assertEquals(Period.PERIOD_DAILY, fits.getStatus().getPeriod());
        assertEquals("0.00", fits.getStatus().getUsed().getAmount());
        assertEquals("1000.00", fits.getStatus().getRemaining().getAmount());
        assertEquals(DAY_START, instant(fits.getStatus().getPeriodStart()));
        assertEquals(DAY_END, instant(fits.getStatus().getPeriodEnd()));

        CheckQuotaResponse tooMuch = stub.checkQuota(CheckQuotaRequest.newBuilder().setAgentId(AGENT)
                .setAmount(usd("1000.01")).setLimits(limits("1000", "10000")).build());
        assertFalse(tooMuch.getAllowed());
        assertEquals("0.00", daily().getUsed().getAmount(), "a check reserves nothing");
    }

    @Test
    void theTighterWindowDecides() {
        // 900 used in both windows; 150 more fits the daily 5000 but not the monthly 1000
        assertTrue(stub.trackUsage(TrackUsageRequest.newBuilder().setAgentId(AGENT).setAmount(usd("900"))
                .setLimits(limits("1000", "1100")).setIdempotencyKey("k1").build()).getAllowed());
        CheckQuotaResponse r = stub.checkQuota(CheckQuotaRequest.newBuilder().setAgentId(AGENT).setAmount(usd("150"))
                .setLimits(limits("5000", "1000")).build());
        assertFalse(r.getAllowed());
        assertEquals(Period.PERIOD_MONTHLY, r.getStatus().getPeriod(), "the monthly window refused");
        assertEquals(MONTH_START, instant(r.getStatus().getPeriodStart()));
        assertEquals(MONTH_END, instant(r.getStatus().getPeriodEnd()));
    }

    // --- TrackUsage ---------------------------------------------------------------------------

    @Test
    void trackUsageReservesAndReportsTheWindowAsTheDecisionSawIt() {
        TrackUsageResponse r = reserve("600", "trade-1");

        assertTrue(r.getAllowed());
        assertTrue(r.getReservationId().startsWith("res-"));
        assertEquals("0.00", r.getStatus().getUsed().getAmount(), "before this reservation, like the local quota");
        assertEquals("600.00", daily().getUsed().getAmount(), "open reservations count as used");
        assertEquals(1, server.book().openReservations());
    }

    @Test
    void trackUsageBeyondTheLimitIsDeniedAndHoldsNothing() {
        reserve("600", "trade-1");
        TrackUsageResponse denied = reserve("400.01", "trade-2");

        assertFalse(denied.getAllowed());
        assertEquals("", denied.getReservationId());
        assertEquals("600.00", denied.getStatus().getUsed().getAmount());
        assertEquals("400.00", denied.getStatus().getRemaining().getAmount());
        assertEquals(1, server.book().openReservations());
        assertTrue(reserve("400.00", "trade-3").getAllowed(), "exactly up to the limit");
    }

    @Test
    void trackUsageIsIdempotentByKey() {
        TrackUsageResponse first = reserve("600", "trade-1");
        TrackUsageResponse again = reserve("600", "trade-1");

        assertEquals(first, again, "a repeat answers the original reservation");
        assertEquals("600.00", daily().getUsed().getAmount(), "reserved once");
        assertEquals(1, server.book().openReservations());
    }

    @Test
    void aDeniedKeyMayBeGrantedLater() {
        String big = reserve("900", "trade-1").getReservationId();
        assertFalse(reserve("200", "trade-2").getAllowed());
        complete(big, CompleteUsageRequest.Outcome.OUTCOME_RELEASE);
        assertTrue(reserve("200", "trade-2").getAllowed());
    }

    @Test
    void reusingAKeyForAnotherAmountOrAgentIsRefused() {
        reserve("600", "trade-1");
        assertInvalid(() -> reserve("601", "trade-1"), "idempotency_key trade-1 was already used");
        assertInvalid(() -> stub.trackUsage(track("agent-2", "600", "trade-1")), "idempotency_key trade-1 was already used");
    }

    @Test
    void concurrentReservationsNeverExceedTheLimit() throws Exception {
        // 16 threads, 12.50 each, daily limit 100.00: exactly 8 fit; repeated on fresh agents
        for (int round = 0; round < 5; round++) {
            String agent = "racer-" + round;
            int threads = 16;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<TrackUsageResponse>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    String key = agent + "-trade-" + i;
                    results.add(pool.submit(() -> {
                        go.await();
                        return stub.trackUsage(TrackUsageRequest.newBuilder().setAgentId(agent).setAmount(usd("12.50"))
                                .setLimits(limits("100.00", "100000.00")).setIdempotencyKey(key).build());
                    }));
                }
                go.countDown();
                int granted = 0;
                Set<String> ids = new HashSet<>();
                for (Future<TrackUsageResponse> f : results) {
                    TrackUsageResponse r = f.get(10, TimeUnit.SECONDS);
                    if (r.getAllowed()) {
                        granted++;
                        ids.add(r.getReservationId());
                    }
                }
                assertEquals(8, granted, "round " + round);
                assertEquals(8, ids.size());
                QuotaStatus s = stub.getQuotaStatus(GetQuotaStatusRequest.newBuilder().setAgentId(agent)
                        .setPeriod(Period.PERIOD_DAILY).setLimits(limits("100.00", "100000.00")).build()).getStatus();
                assertEquals("100.00", s.getUsed().getAmount());
                assertEquals(QuotaState.QUOTA_STATE_EXCEEDED, s.getState());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // --- CompleteUsage ------------------------------------------------------------------------

    @Test
    void commitCountsTheReservationAsUsageOnce() {
        String id = reserve("600", "trade-1").getReservationId();

        assertEquals(CompleteUsageResponse.Result.RESULT_COMPLETED, complete(id, CompleteUsageRequest.Outcome.OUTCOME_COMMIT));
        assertEquals("600.00", daily().getUsed().getAmount(), "now committed usage instead of a reservation");
        assertEquals(0, server.book().openReservations());

        assertEquals(CompleteUsageResponse.Result.RESULT_ALREADY_COMPLETED, complete(id, CompleteUsageRequest.Outcome.OUTCOME_COMMIT));
        assertEquals(CompleteUsageResponse.Result.RESULT_ALREADY_COMPLETED, complete(id, CompleteUsageRequest.Outcome.OUTCOME_RELEASE),
                "the first outcome stands");
        assertEquals("600.00", daily().getUsed().getAmount());
    }

    @Test
    void releaseGivesTheVolumeBackOnce() {
        String first = reserve("600", "trade-1").getReservationId();
        reserve("300", "trade-2");

        assertEquals(CompleteUsageResponse.Result.RESULT_COMPLETED, complete(first, CompleteUsageRequest.Outcome.OUTCOME_RELEASE));
        assertEquals(CompleteUsageResponse.Result.RESULT_ALREADY_COMPLETED, complete(first, CompleteUsageRequest.Outcome.OUTCOME_RELEASE));
        assertEquals("300.00", daily().getUsed().getAmount());
    }

    @Test
    void anUnknownReservationIsSaidSo() {
        assertEquals(CompleteUsageResponse.Result.RESULT_UNKNOWN_RESERVATION,
                complete("res-nope", CompleteUsageRequest.Outcome.OUTCOME_COMMIT));
    }

    @Test
    void committedUsageIsBookedInTheWindowsOfTheCommit() {
        String id = reserve("600", "trade-1").getReservationId();
        complete(id, CompleteUsageRequest.Outcome.OUTCOME_COMMIT);

        clock.set(DAY_END.plusSeconds(60)); // the next UTC day, same month
        assertEquals("0.00", daily().getUsed().getAmount(), "a new day starts empty");
        assertEquals(DAY_END, instant(daily().getPeriodStart()));
        assertEquals("600.00", status(Period.PERIOD_MONTHLY, "1000", "10000").getUsed().getAmount());

        clock.set(MONTH_END);
        assertEquals("0.00", status(Period.PERIOD_MONTHLY, "1000", "10000").getUsed().getAmount());
    }

    @Test
    void moneyIsExact() {
        String a = reserve("0.1", "trade-1").getReservationId();
        String b = reserve("0.2", "trade-2").getReservationId();
        assertEquals("0.30", daily().getUsed().getAmount());
        complete(a, CompleteUsageRequest.Outcome.OUTCOME_COMMIT);
        complete(b, CompleteUsageRequest.Outcome.OUTCOME_COMMIT);
        assertEquals("0.30", daily().getUsed().getAmount());
        assertEquals("999.70", daily().getRemaining().getAmount());
    }

    // --- GetQuotaStatus -----------------------------------------------------------------------

    @ParameterizedTest(name = "{0} of 10000 → {1} % {2}")
    @CsvSource({
            "0.00,    0.00,   QUOTA_STATE_HEALTHY",
            "7999.00, 79.99,  QUOTA_STATE_HEALTHY",
            "7999.99, 79.99,  QUOTA_STATE_HEALTHY",
            "8000.00, 80.00,  QUOTA_STATE_WARNING",
            "9499.99, 94.99,  QUOTA_STATE_WARNING",
            "9500.00, 95.00,  QUOTA_STATE_CRITICAL",
            "9999.99, 99.99,  QUOTA_STATE_CRITICAL",
            "10000.00, 100.00, QUOTA_STATE_EXCEEDED",
    })
    void statusStatesFollowUtilisation(String used, String percent, QuotaState state) {
        if (!used.equals("0.00")) {
            assertTrue(stub.trackUsage(TrackUsageRequest.newBuilder().setAgentId(AGENT).setAmount(usd(used))
                    .setLimits(limits("10000", "100000")).setIdempotencyKey("fill").build()).getAllowed());
        }
        QuotaStatus s = status(Period.PERIOD_DAILY, "10000", "100000");

        assertEquals(AGENT, s.getAgentId());
        assertEquals(used, s.getUsed().getAmount());
        assertEquals("10000.00", s.getLimit().getAmount());
        assertEquals(percent, s.getUtilisationPercent());
        assertEquals(state, s.getState());
        assertEquals(DAY_START, instant(s.getPeriodStart()));
        assertEquals(DAY_END, instant(s.getPeriodEnd()));
    }

    @Test
    void statusBeyondTheLimitShowsNothingRemaining() {
        reserve("900", "trade-1");
        QuotaStatus s = status(Period.PERIOD_DAILY, "600", "10000"); // the limit was lowered since
        assertEquals("0.00", s.getRemaining().getAmount());
        assertEquals("150.00", s.getUtilisationPercent());
        assertEquals(QuotaState.QUOTA_STATE_EXCEEDED, s.getState());
    }

    @Test
    void statusNeedsOnlyTheLimitOfItsPeriod() {
        QuotaStatus s = stub.getQuotaStatus(GetQuotaStatusRequest.newBuilder().setAgentId(AGENT).setPeriod(Period.PERIOD_MONTHLY)
                .setLimits(org.tradingdemo.proto.metering.v1.QuotaLimits.newBuilder().setMonthly(usd("5000"))).build()).getStatus();
        assertEquals(Period.PERIOD_MONTHLY, s.getPeriod());
        assertEquals("5000.00", s.getLimit().getAmount());
    }

    // --- RecordEvent and GetUsage --------------------------------------------------------------

    private RecordEventRequest event(String id, String type, String amount, Instant at) {
        RecordEventRequest.Builder b = RecordEventRequest.newBuilder().setEventId(id).setAgentId(AGENT).setType(type)
                .setOccurredAt(ts(at)).putMetadata("source", "test");
        if (amount != null) {
            b.setAmount(usd(amount));
        }
        return b.build();
    }

    @Test
    void aDuplicateEventIsCountedOnce() {
        assertEquals(RecordEventResponse.Result.RESULT_RECORDED,
                stub.recordEvent(event("ev-1", "trade_executed", "1500.00", NOW)).getResult());
        assertEquals(RecordEventResponse.Result.RESULT_DUPLICATE,
                stub.recordEvent(event("ev-1", "trade_executed", "1500.00", NOW)).getResult());
        assertEquals(RecordEventResponse.Result.RESULT_DUPLICATE,
                stub.recordEvent(event("ev-1", "trade_executed", "99.00", NOW)).getResult(), "the first one stands");

        GetUsageResponse usage = stub.getUsage(GetUsageRequest.newBuilder().setAgentId(AGENT).setFrom(ts(DAY_START))
                .setTo(ts(DAY_END)).build());
        assertEquals(List.of(UsageByType.newBuilder().setType("trade_executed").setCount(1).setAmount(usd("1500.00")).build()),
                usage.getByTypeList());
    }

    @Test
    void usageIsPerTypeOverAHalfOpenWindow() {
        stub.recordEvent(event("ev-1", "trade_executed", "100.10", DAY_START));
        stub.recordEvent(event("ev-2", "trade_executed", "0.20", NOW));
        stub.recordEvent(event("ev-3", "api_call", null, NOW));
        stub.recordEvent(event("ev-4", "agent_created", "0", NOW));
        stub.recordEvent(event("ev-5", "trade_executed", "5000", DAY_END)); // excluded: to is exclusive
        stub.recordEvent(event("ev-6", "trade_executed", "7000", DAY_START.minusNanos(1))); // before from
        stub.recordEvent(RecordEventRequest.newBuilder().setEventId("ev-7").setAgentId("agent-2").setType("trade_executed")
                .setAmount(usd("1")).setOccurredAt(ts(NOW)).build()); // another agent

        GetUsageResponse usage = stub.getUsage(GetUsageRequest.newBuilder().setAgentId(AGENT).setFrom(ts(DAY_START))
                .setTo(ts(DAY_END)).build());

        assertEquals(AGENT, usage.getAgentId());
        assertEquals(List.of(
                UsageByType.newBuilder().setType("agent_created").setCount(1).setAmount(usd("0.00")).build(),
                UsageByType.newBuilder().setType("api_call").setCount(1).setAmount(usd("0.00")).build(),
                UsageByType.newBuilder().setType("trade_executed").setCount(2).setAmount(usd("100.30")).build()),
                usage.getByTypeList());
    }

    @Test
    void anEventWithoutATimeHappensNow() {
        stub.recordEvent(RecordEventRequest.newBuilder().setEventId("ev-1").setAgentId(AGENT).setType("api_call").build());
        assertEquals(1, stub.getUsage(GetUsageRequest.newBuilder().setAgentId(AGENT).setFrom(ts(NOW))
                .setTo(ts(NOW.plusNanos(1))).build()).getByType(0).getCount());
    }

    @Test
    void recordedEventsDoNotCountTowardsTheQuota() {
        stub.recordEvent(event("ev-1", "trade_executed", "900", NOW));
        assertEquals("0.00", daily().getUsed().getAmount(), "the committed reservation carries the volume, not the event");
    }

    // --- INVALID_ARGUMENT -----------------------------------------------------------------------

    private static TrackUsageRequest validTrack() {
        return track(AGENT, "10.00", "trade-1");
    }

    static Stream<Arguments> badTrackUsage() {
        return Stream.of(
                bad("missing agent_id", b -> b.clearAgentId(), "agent_id is required"),
                bad("agent_id with a space", b -> b.setAgentId("agent 1"), "agent_id is invalid"),
                bad("missing amount", b -> b.clearAmount(), "amount is required"),
                bad("amount not a number", b -> b.setAmount(usd("abc")), "amount.amount must be a plain decimal string"),
                bad("amount in exponent form", b -> b.setAmount(usd("1e3")), "amount.amount must be a plain decimal string"),
                bad("amount with a comma", b -> b.setAmount(usd("1,000.00")), "amount.amount must be a plain decimal string"),
                bad("empty amount", b -> b.setAmount(usd("")), "amount.amount is required"),
                bad("zero amount", b -> b.setAmount(usd("0.00")), "amount must be greater than 0"),
                bad("negative amount", b -> b.setAmount(usd("-5")), "amount must be greater than 0"),
                bad("sub-cent amount", b -> b.setAmount(usd("0.001")), "amount.amount: money must have at most 2 decimals"),
                bad("missing currency", b -> b.setAmount(org.tradingdemo.proto.metering.v1.Money.newBuilder().setAmount("1")),
                        "amount.currency_code is required"),
                bad("lower-case currency", b -> b.setAmount(org.tradingdemo.proto.metering.v1.Money.newBuilder()
                        .setCurrencyCode("usd").setAmount("1")), "amount.currency_code is not an ISO 4217 code"),
                bad("unknown currency", b -> b.setAmount(org.tradingdemo.proto.metering.v1.Money.newBuilder()
                        .setCurrencyCode("ZZZ").setAmount("1")), "amount.currency_code is not an ISO 4217 code"),
                bad("currency unlike the limits", b -> b.setAmount(org.tradingdemo.proto.metering.v1.Money.newBuilder()
                        .setCurrencyCode("EUR").setAmount("1")), "same currency"),
                bad("missing limits", b -> b.clearLimits(), "limits.daily and limits.monthly are required"),
                bad("zero daily limit", b -> b.setLimits(limits("0", "100")), "must be greater than 0"),
                bad("bad monthly limit", b -> b.setLimits(limits("100", "x")), "limits.monthly.amount must be a plain decimal"),
                bad("missing idempotency key", b -> b.clearIdempotencyKey(), "idempotency_key is required"),
                bad("huge idempotency key", b -> b.setIdempotencyKey("k".repeat(129)), "idempotency_key must be at most 128"));
    }

    private static Arguments bad(String name, Consumer<TrackUsageRequest.Builder> change, String message) {
        TrackUsageRequest.Builder b = validTrack().toBuilder();
        change.accept(b);
        return Arguments.of(name, b.build(), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTrackUsage")
    void trackUsageRefusesBadInput(String name, TrackUsageRequest request, String message) {
        assertInvalid(() -> stub.trackUsage(request), message);
        assertEquals(0, server.book().openReservations());
    }

    @Test
    void otherRpcsRefuseBadInput() {
        assertInvalid(() -> stub.checkQuota(CheckQuotaRequest.newBuilder().setAgentId(AGENT).setAmount(usd("1")).build()),
                "limits.daily and limits.monthly are required");
        assertInvalid(() -> stub.completeUsage(CompleteUsageRequest.newBuilder().setReservationId("res-1").build()),
                "outcome must be OUTCOME_COMMIT or OUTCOME_RELEASE");
        assertInvalid(() -> stub.completeUsage(CompleteUsageRequest.newBuilder().setOutcomeValue(7).setReservationId("r").build()),
                "outcome must be OUTCOME_COMMIT or OUTCOME_RELEASE");
        assertInvalid(() -> stub.completeUsage(CompleteUsageRequest.newBuilder()
                .setOutcome(CompleteUsageRequest.Outcome.OUTCOME_COMMIT).build()), "reservation_id is required");
        assertInvalid(() -> stub.recordEvent(event("", "api_call", null, NOW)), "event_id is required");
        assertInvalid(() -> stub.recordEvent(event("ev-1", "", null, NOW)), "type is required");
        assertInvalid(() -> stub.recordEvent(event("ev-1", "trade executed", null, NOW)), "type may contain only");
        assertInvalid(() -> stub.recordEvent(event("ev-1", "trade_executed", "-1", NOW)), "amount must not be negative");
        assertInvalid(() -> stub.recordEvent(event("ev-1", "trade_executed", "1.5e2", NOW)), "amount.amount must be a plain decimal");
        assertInvalid(() -> stub.getUsage(GetUsageRequest.newBuilder().setAgentId(AGENT).setTo(ts(NOW)).build()),
                "from and to are required");
        assertInvalid(() -> stub.getUsage(GetUsageRequest.newBuilder().setAgentId(AGENT).setFrom(ts(NOW)).setTo(ts(NOW)).build()),
                "from must be before to");
        assertInvalid(() -> stub.getUsage(GetUsageRequest.newBuilder().setFrom(ts(DAY_START)).setTo(ts(NOW)).build()),
                "agent_id is required");
        assertInvalid(() -> stub.getQuotaStatus(GetQuotaStatusRequest.newBuilder().setAgentId(AGENT)
                .setLimits(limits("1", "1")).build()), "period must be PERIOD_DAILY or PERIOD_MONTHLY");
        assertInvalid(() -> stub.getQuotaStatus(GetQuotaStatusRequest.newBuilder().setAgentId(AGENT)
                .setPeriod(Period.PERIOD_DAILY).build()), "limits.daily is required");
        assertInvalid(() -> stub.getQuotaStatus(GetQuotaStatusRequest.newBuilder().setAgentId(AGENT)
                .setPeriod(Period.PERIOD_DAILY).setLimits(limits("-1", "1")).build()), "limits.daily must be greater than 0");
        assertEquals(0, stub.getUsage(GetUsageRequest.newBuilder().setAgentId(AGENT).setFrom(ts(MONTH_START))
                .setTo(ts(MONTH_END)).build()).getByTypeCount(), "nothing was recorded");
    }

    private static void assertInvalid(Runnable call, String message) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains(message),
                "description '" + e.getStatus().getDescription() + "' should contain '" + message + "'");
    }

    // --- UsageBatch ---------------------------------------------------------------------------

    @Test
    void aUsageBatchHandlesEachItemAsItsSingleRpcInOrderAndABadItemFailsAlone() {
        String earlier = reserve("100", "trade-0").getReservationId();
        UsageBatchResponse r = stub.usageBatch(UsageBatchRequest.newBuilder()
                .addItems(UsageBatchItem.newBuilder().setTrackUsage(track(AGENT, "850", "trade-1")))
                .addItems(UsageBatchItem.newBuilder().setTrackUsage(track(AGENT, "100", "trade-2"))) // over the limit now
                .addItems(UsageBatchItem.newBuilder().setTrackUsage(track(AGENT, "850", "trade-1"))) // a repeat
                .addItems(UsageBatchItem.newBuilder().setTrackUsage(track(AGENT, "-1", "trade-3")))  // bad
                .addItems(UsageBatchItem.newBuilder().setCompleteUsage(CompleteUsageRequest.newBuilder()
                        .setReservationId(earlier).setOutcome(CompleteUsageRequest.Outcome.OUTCOME_RELEASE)))
                .addItems(UsageBatchItem.getDefaultInstance())                                         // empty
                .build());

        assertEquals(6, r.getResultsCount());
        assertTrue(r.getResults(0).getTrackUsage().getAllowed());
        assertFalse(r.getResults(1).getTrackUsage().getAllowed(), "decided after the first: 100 + 850 + 100 > 1000");
        assertEquals(r.getResults(0).getTrackUsage().getReservationId(), r.getResults(2).getTrackUsage().getReservationId());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getResults(3).getError().getCode());
        assertTrue(r.getResults(3).getError().getMessage().contains("amount"), r.getResults(3).getError().getMessage());
        assertEquals(CompleteUsageResponse.Result.RESULT_COMPLETED, r.getResults(4).getCompleteUsage().getResult());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getResults(5).getError().getCode());
        assertEquals(1, server.book().openReservations());
    }

    @Test
    void aUsageBatchMustHoldOneTo500Items() {
        assertInvalid(() -> stub.usageBatch(UsageBatchRequest.getDefaultInstance()), "at least one");
        UsageBatchRequest.Builder big = UsageBatchRequest.newBuilder();
        for (int i = 0; i <= MeteringGrpcHandler.MAX_BATCH; i++) {
            big.addItems(UsageBatchItem.newBuilder().setTrackUsage(track(AGENT, "1", "trade-" + i)));
        }
        assertInvalid(() -> stub.usageBatch(big.build()), "at most 500");
        assertEquals(0, server.book().openReservations());
    }

    @Test
    void reservationIdsDifferAcrossServersSoARestartCannotConfuseThem() {
        String id = reserve("1", "trade-1").getReservationId();
        MeteringGrpcServer other = new MeteringGrpcServer(MeteringServerConfig.loopback(0), clock);
        assertNotEquals(id, other.book().reserve(org.tradingdemo.domain.model.AgentId.of(AGENT),
                org.tradingdemo.domain.model.Money.usd("1"),
                new org.tradingdemo.domain.model.QuotaLimits(org.tradingdemo.domain.model.Money.usd(10),
                        org.tradingdemo.domain.model.Money.usd(10)), "trade-1").reservationId().orElseThrow());
    }
}
