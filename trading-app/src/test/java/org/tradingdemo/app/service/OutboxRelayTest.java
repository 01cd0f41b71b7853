package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.APPROVER;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.awaitingApproval;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.slf4j.LoggerFactory;
import org.tradingdemo.app.MutableClock;
import org.tradingdemo.app.inmemory.InMemoryOutbox;
import org.tradingdemo.app.inmemory.InMemoryTransactions;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.Transactions;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The relay over mocked destination ports and the in-memory outbox (a production adapter that
 * passes the outbox contract), so retries and acknowledgements are checked against stored state.
 * The relay's own transactions (acknowledgement batches) go through a counting wrapper; the causing
 * transactions of the use cases are simulated on the store directly.
 */
@ExtendWith(MockitoExtension.class)
class OutboxRelayTest {

    private static final Duration GRACE = OutboxRelay.IMMEDIATE_GRACE;

    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) QuotaPort quota;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) ApprovalPort approval;
    @Mock NotificationPort notifier;
    @Mock TradeRepository trades;
    @Mock OversightRequestRepository requests;
    @Mock AgentRepository agents;
    @Mock AlertRepository alerts;

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryTransactions store = new InMemoryTransactions();
    private final CountingTransactions relayTx = new CountingTransactions(store);
    /** Keeps every delivered message, so each test can read back what became of its messages. */
    private final InMemoryOutbox outbox = new InMemoryOutbox(store, Integer.MAX_VALUE);
    private OutboxRelay relay;

    /** A 1,500 USD buy waiting for a human under reservation res-1, and its request. */
    private final Trade trade = awaitingApproval("trade-1", "10", "150", "res-1");
    private final OversightRequest request = pendingRequest("req-1", trade);

    @BeforeEach
    void wire() {
        relay = new OutboxRelay(outbox, relayTx, quota, approval, notifier, trades, requests, agents, alerts,
                new SequentialIdGenerator("msg"), clock);
    }

    /** Counts the units of work the relay opens (one per acknowledgement batch) and can fail the next. */
    static final class CountingTransactions implements Transactions {
        private final Transactions delegate;
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicBoolean failNext = new AtomicBoolean();
        private final List<String> threads = new CopyOnWriteArrayList<>();

        CountingTransactions(Transactions delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T inTransaction(Supplier<T> work) {
            count.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("database is locked");
            }
            return delegate.inTransaction(work);
        }

        int count() {
            return count.get();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Records a message the way a use case does: inside its (committed) transaction. */
    private OutboxMessage committed(String kind, String subject, Map<String, String> payload) {
        return store.inTransaction(() -> relay.record(kind, subject, payload));
    }

    private OutboxMessage quotaCompletion(String reservationId) {
        return committed(OutboxRelay.QUOTA_COMPLETE, reservationId, Map.of("reservationId", reservationId));
    }

    private OutboxMessage stored(OutboxMessage m) {
        return outbox.findById(m.id()).orElseThrow();
    }

    private static MeteringUnavailableException meteringDown() {
        return new MeteringUnavailableException("metering down", Duration.ofSeconds(5), null);
    }

    /** Delivered once and, after the next background pass writes the acknowledgement, no longer pending. */
    private void assertDeliveredAndAcknowledged(OutboxMessage m) {
        relay.runOnce();
        OutboxMessage after = stored(m);
        assertTrue(after.isDelivered(), after.toString());
        assertEquals(1, after.attempts());
        assertEquals(0, outbox.countPending());
    }

    // ---- recording ------------------------------------------------------------------------------

    @Test
    void recordAppendsTheEffectInTheCallersTransactionDueAfterTheGrace() {
        OutboxMessage m = quotaCompletion("res-1");

        assertEquals(Optional.of(m), outbox.findById(m.id()));
        assertEquals(OutboxRelay.QUOTA_COMPLETE, m.kind());
        assertEquals("quota.complete:res-1", m.idempotencyKey());
        assertEquals(Map.of("reservationId", "res-1"), m.payload());
        assertEquals(NOW, m.createdAt());
        assertEquals(NOW.plus(GRACE), m.nextAttemptAt());
        assertEquals(0, m.attempts());
        assertFalse(m.isDelivered());
        assertEquals(1, relay.backlog());
    }

    @Test
    void anEffectRecordedInARolledBackTransactionIsNeitherStoredNorDelivered() {
        assertThrows(IllegalStateException.class, () -> store.run(() -> {
            relay.record(OutboxRelay.QUOTA_COMPLETE, "res-1", Map.of("reservationId", "res-1"));
            throw new IllegalStateException("the trade could not be saved");
        }));
        clock.advance(GRACE);

        assertEquals(0, relay.runOnce());
        assertEquals(0, outbox.countPending());
        verifyNoInteractions(quota);
    }

    // ---- dispatch -------------------------------------------------------------------------------

    @Nested
    class Dispatch {

        @Test
        void quotaCompleteCompletesTheReservation() {
            OutboxMessage m = quotaCompletion("res-1");

            relay.deliverNow(List.of(m));

            verify(quota).completeAsync("res-1");
            verify(quota).complete("res-1"); // the port's default: completed at once, on the caller's thread
            verifyNoMoreInteractions(quota);
            verifyNoInteractions(approval, notifier);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void quotaReleaseReleasesTheReservation() {
            OutboxMessage m = committed(OutboxRelay.QUOTA_RELEASE, "res-1", Map.of("reservationId", "res-1"));

            relay.deliverNow(List.of(m));

            verify(quota).release("res-1");
            verifyNoMoreInteractions(quota);
            verifyNoInteractions(approval, notifier);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void approvalSubmitSendsTheCurrentRequestAndItsTrade() {
            when(requests.findById(request.id())).thenReturn(Optional.of(request));
            when(trades.findById(trade.id())).thenReturn(Optional.of(trade));
            OutboxMessage m = committed(OutboxRelay.APPROVAL_SUBMIT, "req-1", Map.of("requestId", "req-1"));

            relay.deliverNow(List.of(m));

            verify(approval).submit(request, trade);
            verifyNoMoreInteractions(approval);
            verifyNoInteractions(quota, notifier);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void approvalReportSendsTheDecidedRequestWithItsTrade() {
            OversightRequest approved = request.approve(APPROVER, Optional.of("fine"), NOW);
            when(requests.findById(request.id())).thenReturn(Optional.of(approved));
            when(trades.findById(approved.tradeId())).thenReturn(Optional.of(trade));
            OutboxMessage m = committed(OutboxRelay.APPROVAL_REPORT, "req-1", Map.of("requestId", "req-1"));

            relay.deliverNow(List.of(m));

            // with the trade: an authority that lost the request is told about it first
            verify(approval).reportDecision(approved, trade);
            verifyNoMoreInteractions(approval);
            verifyNoInteractions(quota, notifier);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void approvalNeededTellsHumansAboutTheRequestTheTradeAndTheAgent() {
            when(requests.findById(request.id())).thenReturn(Optional.of(request));
            when(trades.findById(trade.id())).thenReturn(Optional.of(trade));
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
            OutboxMessage m = committed(OutboxRelay.NOTIFY_APPROVAL_NEEDED, "req-1", Map.of("requestId", "req-1"));

            relay.deliverNow(List.of(m));

            verify(notifier).send(new Notification.ApprovalNeeded(request, trade, agent()));
            verifyNoMoreInteractions(notifier);
            verifyNoInteractions(quota, approval);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void decisionTellsHumansAboutTheDecidedRequestAndItsTrade() {
            OversightRequest rejected = request.reject(APPROVER, "too risky", NOW);
            Trade rejectedTrade = trade.reject("rejected by approver: too risky", NOW);
            when(requests.findById(request.id())).thenReturn(Optional.of(rejected));
            when(trades.findById(trade.id())).thenReturn(Optional.of(rejectedTrade));
            OutboxMessage m = committed(OutboxRelay.NOTIFY_DECISION, "req-1", Map.of("requestId", "req-1"));

            relay.deliverNow(List.of(m));

            verify(notifier).send(new Notification.DecisionMade(rejected, rejectedTrade));
            verifyNoMoreInteractions(notifier);
            verifyNoInteractions(quota, approval);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void alertTellsHumansAboutTheAlert() {
            Alert alert = Alert.raise(AlertId.of("alert-1"), AlertSeverity.CRITICAL, "outage", "metering down",
                    Optional.empty(), NOW);
            when(alerts.findById(AlertId.of("alert-1"))).thenReturn(Optional.of(alert));
            OutboxMessage m = committed(OutboxRelay.NOTIFY_ALERT, "alert-1", Map.of("alertId", "alert-1"));

            relay.deliverNow(List.of(m));

            verify(notifier).send(new Notification.AlertNotice(alert));
            verifyNoMoreInteractions(notifier);
            verifyNoInteractions(quota, approval);
            assertDeliveredAndAcknowledged(m);
        }

        @Test
        void theEffectsOfOneUseCaseAreDeliveredInTheOrderTheyWereRecorded() {
            OversightRequest approved = request.approve(APPROVER, Optional.empty(), NOW);
            when(requests.findById(request.id())).thenReturn(Optional.of(approved));
            when(trades.findById(trade.id())).thenReturn(Optional.of(trade.execute(NOW)));
            List<OutboxMessage> effects = store.inTransaction(() -> List.of(
                    relay.record(OutboxRelay.QUOTA_COMPLETE, "res-1", Map.of("reservationId", "res-1")),
                    relay.record(OutboxRelay.APPROVAL_REPORT, "req-1", Map.of("requestId", "req-1")),
                    relay.record(OutboxRelay.NOTIFY_DECISION, "req-1", Map.of("requestId", "req-1"))));

            relay.deliverNow(effects);

            InOrder order = inOrder(quota, approval, notifier);
            order.verify(quota).complete("res-1");
            order.verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(approved), org.mockito.ArgumentMatchers.any());
            order.verify(notifier).send(new Notification.DecisionMade(approved, trade.execute(NOW)));
        }

        @Test
        void aMissingEntityIsAFailureToRetryNotASilentSuccess() {
            when(requests.findById(request.id())).thenReturn(Optional.empty());
            OutboxMessage m = committed(OutboxRelay.APPROVAL_REPORT, "req-1", Map.of("requestId", "req-1"));

            relay.deliverNow(List.of(m));
            relay.runOnce();

            OutboxMessage after = stored(m);
            assertFalse(after.isDelivered());
            assertEquals(1, after.attempts());
            assertTrue(after.lastError().orElseThrow().contains("oversight request req-1 not found"),
                    after.lastError().toString());
            verifyNoInteractions(approval);
            assertEquals(1, outbox.countPending());
        }
    }

    // ---- retries --------------------------------------------------------------------------------

    @Test
    void backoffDoublesFromOneSecondAndIsCappedAtFiveMinutes() {
        List<Duration> firstTen = new ArrayList<>();
        for (int attempt = 1; attempt <= 10; attempt++) {
            firstTen.add(OutboxRelay.backoff(attempt));
        }

        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L),
                firstTen.stream().map(Duration::toSeconds).toList());
        assertEquals(Duration.ofMinutes(5), OutboxRelay.backoff(30));
        assertEquals(Duration.ofMinutes(5), OutboxRelay.backoff(Integer.MAX_VALUE));
    }

    @Test
    void aFailedDeliveryIsRetriedByTheBackgroundWithExponentialBackoffUntilItSucceeds() {
        OutboxMessage m = quotaCompletion("res-1");
        doThrow(meteringDown()).doThrow(meteringDown()).doThrow(meteringDown()).doNothing()
                .when(quota).complete("res-1");

        relay.deliverNow(List.of(m));
        assertEquals(1, stored(m).attempts());
        assertEquals(NOW.plusSeconds(1), stored(m).nextAttemptAt(), "first retry after 1 s, not after the grace");
        assertTrue(stored(m).lastError().orElseThrow().contains("metering down"));

        clock.set(NOW.plusMillis(999));
        assertEquals(0, relay.runOnce(), "not due yet");
        verify(quota, times(1)).complete("res-1");

        clock.set(NOW.plusSeconds(1));
        assertEquals(0, relay.runOnce());
        assertEquals(2, stored(m).attempts());
        assertEquals(NOW.plusSeconds(1 + 2), stored(m).nextAttemptAt());

        clock.set(NOW.plusSeconds(3).minusMillis(1));
        assertEquals(0, relay.runOnce());
        verify(quota, times(2)).complete("res-1");

        clock.set(NOW.plusSeconds(3));
        assertEquals(0, relay.runOnce());
        assertEquals(3, stored(m).attempts());
        assertEquals(NOW.plusSeconds(3 + 4), stored(m).nextAttemptAt());

        clock.set(NOW.plusSeconds(7));
        assertEquals(1, relay.runOnce());
        verify(quota, times(4)).complete("res-1");
        OutboxMessage delivered = stored(m);
        assertTrue(delivered.isDelivered());
        assertEquals(4, delivered.attempts());
        assertEquals(Optional.of(NOW.plusSeconds(7)), delivered.deliveredAt());
        assertEquals(0, outbox.countPending());

        clock.advance(Duration.ofHours(1));
        assertEquals(0, relay.runOnce(), "a delivered message is never sent again");
        verify(quota, times(4)).complete("res-1");
    }

    @Test
    void aMessageThatKeepsFailingIsRetriedEveryFiveMinutes() {
        OutboxMessage veteran = new OutboxMessage("msg-old", OutboxRelay.QUOTA_COMPLETE, "quota.complete:res-9",
                Map.of("reservationId", "res-9"), NOW.minus(Duration.ofHours(2)), 12, NOW, Optional.empty(),
                Optional.of("metering down"));
        outbox.append(veteran);
        doThrow(meteringDown()).when(quota).complete("res-9");

        relay.runOnce();

        assertEquals(13, stored(veteran).attempts());
        assertEquals(NOW.plus(Duration.ofMinutes(5)), stored(veteran).nextAttemptAt());
    }

    // ---- the background pass --------------------------------------------------------------------

    @Test
    void runOnceLeavesNewMessagesToTheImmediateAttemptUntilTheGraceHasPassed() {
        // committed but never attempted, as after a crash between commit and deliverNow
        OutboxMessage first = quotaCompletion("res-1");
        clock.advance(Duration.ofSeconds(1));
        OutboxMessage second = committed(OutboxRelay.QUOTA_RELEASE, "res-2", Map.of("reservationId", "res-2"));

        clock.set(NOW.plus(GRACE).minusMillis(1));
        assertEquals(0, relay.runOnce());
        verifyNoInteractions(quota);

        clock.set(NOW.plus(GRACE));
        assertEquals(1, relay.runOnce());
        verify(quota).complete("res-1");
        verify(quota, never()).release(any());
        assertTrue(stored(first).isDelivered());
        assertFalse(stored(second).isDelivered());

        clock.set(NOW.plusSeconds(1).plus(GRACE));
        assertEquals(1, relay.runOnce());
        verify(quota).release("res-2");
        assertEquals(0, outbox.countPending());
    }

    @Test
    void runOnceDeliversWhatIsDueOldestFirst() {
        List<OutboxMessage> left = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            left.add(quotaCompletion("res-" + i));
            clock.advance(Duration.ofMillis(1));
        }
        clock.advance(GRACE);

        assertEquals(3, relay.runOnce());

        InOrder order = inOrder(quota);
        order.verify(quota).complete("res-1");
        order.verify(quota).complete("res-2");
        order.verify(quota).complete("res-3");
        left.forEach(m -> assertTrue(stored(m).isDelivered()));
    }

    // ---- acknowledgements -----------------------------------------------------------------------

    @Test
    void acknowledgementsAreWrittenInBatchesOfOneTransactionEach() {
        List<OutboxMessage> almostABatch = new ArrayList<>();
        for (int i = 0; i < OutboxRelay.ACK_BATCH - 1; i++) {
            almostABatch.add(quotaCompletion("res-" + i));
        }

        relay.deliverNow(almostABatch);

        verify(quota, times(OutboxRelay.ACK_BATCH - 1)).complete(anyString());
        assertEquals(0, relayTx.count(), "delivered, acknowledgements still queued");
        assertEquals(OutboxRelay.ACK_BATCH - 1, relay.backlog());

        relay.deliverNow(List.of(quotaCompletion("res-last")));

        assertEquals(1, relayTx.count(), "the whole batch in one transaction");
        assertEquals(0, relay.backlog());
        almostABatch.forEach(m -> assertTrue(stored(m).isDelivered()));

        relay.runOnce();
        assertEquals(1, relayTx.count(), "nothing left to write, no empty transaction");
    }

    @Test
    void theBackgroundPassWritesTheQueuedAcknowledgementsInOneTransaction() {
        OutboxMessage a = quotaCompletion("res-1");
        OutboxMessage b = quotaCompletion("res-2");
        relay.deliverNow(List.of(a));
        relay.deliverNow(List.of(b));
        assertEquals(2, relay.backlog());

        assertEquals(0, relay.runOnce());

        assertEquals(1, relayTx.count());
        assertEquals(0, relay.backlog());
        assertTrue(stored(a).isDelivered());
        assertTrue(stored(b).isDelivered());
    }

    @Test
    void aCallerThatFindsTheAcknowledgementQueueFullWritesItItself() {
        List<OutboxMessage> many = new ArrayList<>();
        for (int i = 0; i <= OutboxRelay.ACK_QUEUE_CAPACITY; i++) {
            many.add(quotaCompletion("res-" + i));
        }

        relay.deliverNow(many);

        // the queue filled up at ACK_QUEUE_CAPACITY: that caller wrote it, and kept going
        assertEquals(1, relayTx.count());
        assertEquals(List.of(Thread.currentThread().getName()), relayTx.threads);
        assertEquals(1, relay.backlog(), "only the last acknowledgement is still queued");
        verify(quota, times(OutboxRelay.ACK_QUEUE_CAPACITY + 1)).complete(anyString());

        relay.runOnce();
        assertEquals(0, relay.backlog());
        assertEquals(2, relayTx.count());
    }

    @Test
    void aLostAcknowledgementMeansOneRedeliveryNeverALoss() {
        OutboxMessage m = quotaCompletion("res-1");
        relay.deliverNow(List.of(m));
        relayTx.failNext.set(true);

        relay.runOnce();

        assertFalse(stored(m).isDelivered(), "the acknowledgement batch failed");
        assertEquals(1, relay.backlog());
        verify(quota, times(1)).complete("res-1");

        clock.advance(GRACE);
        assertEquals(1, relay.runOnce());

        // the port sees the same reservation id twice and counts it once (its idempotency key)
        verify(quota, times(2)).complete("res-1");
        assertTrue(stored(m).isDelivered());
        assertEquals(0, relay.backlog());
    }

    // ---- quota completions answered later (a remote metering service) ----------------------------

    @Nested
    class CompletionsAnsweredLater {

        /** The answers metering has not given yet, by reservation id. */
        private final Map<String, CompletableFuture<Void>> unansweredAtMetering = new ConcurrentHashMap<>();

        @BeforeEach
        void meteringAnswersLater() {
            when(quota.completeAsync(anyString())).thenAnswer(invocation ->
                    unansweredAtMetering.computeIfAbsent(invocation.getArgument(0), id -> new CompletableFuture<>()));
        }

        @Test
        void theCallerDoesNotWaitAndTheCompletionIsAcknowledgedOnlyOnceMeteringAnswered() {
            OutboxMessage m = quotaCompletion("res-1");

            relay.deliverNow(List.of(m));

            verify(quota).completeAsync("res-1");
            verify(quota, never()).complete(any());
            assertEquals(1, relay.unanswered());
            relay.runOnce();
            assertFalse(stored(m).isDelivered(), "not acknowledged before metering answered");
            assertEquals(0, stored(m).attempts());

            unansweredAtMetering.get("res-1").complete(null);

            assertEquals(0, relay.unanswered());
            assertDeliveredAndAcknowledged(m);
            verify(quota, never()).complete(any());
        }

        @Test
        void theAnswerIsOnlyQueuedNothingIsWrittenOnTheAnsweringThread() throws Exception {
            OutboxMessage m = quotaCompletion("res-1");
            relay.deliverNow(List.of(m));

            Thread transport = new Thread(() -> unansweredAtMetering.get("res-1").complete(null), "transport-event-loop");
            transport.start();
            transport.join();

            assertEquals(0, relayTx.count(), "no transaction on the answering thread");
            assertFalse(stored(m).isDelivered());
            relay.runOnce();
            assertTrue(stored(m).isDelivered());
            assertEquals(List.of(Thread.currentThread().getName()), relayTx.threads);
        }

        @Test
        void aFailedAnswerIsRecordedWithItsBackoffAndTheBackgroundRetriesIt() {
            OutboxMessage m = quotaCompletion("res-1");
            relay.deliverNow(List.of(m));

            unansweredAtMetering.get("res-1").completeExceptionally(meteringDown());
            relay.runOnce();

            OutboxMessage failed = stored(m);
            assertFalse(failed.isDelivered());
            assertEquals(1, failed.attempts());
            assertEquals(NOW.plusSeconds(1), failed.nextAttemptAt(), "first retry after 1 s, not after the grace");
            assertTrue(failed.lastError().orElseThrow().contains("metering down"));

            clock.set(NOW.plusSeconds(1));
            assertEquals(1, relay.runOnce(), "the background retries it (synchronously)");
            verify(quota).complete("res-1");
            assertTrue(stored(m).isDelivered());
            assertEquals(2, stored(m).attempts());
        }

        @Test
        void beyondTheBoundTheCompletionIsLeftInTheStoreForTheBackgroundNeverBlockedOnOrDropped() {
            List<OutboxMessage> sent = new ArrayList<>();
            for (int i = 0; i < OutboxRelay.MAX_UNANSWERED; i++) {
                sent.add(quotaCompletion("res-" + i));
            }
            OutboxMessage oneMore = quotaCompletion("res-more");

            relay.deliverNow(sent);
            relay.deliverNow(List.of(oneMore));

            assertEquals(OutboxRelay.MAX_UNANSWERED, relay.unanswered());
            verify(quota, never()).completeAsync("res-more");
            assertFalse(stored(oneMore).isDelivered());

            unansweredAtMetering.values().forEach(f -> f.complete(null));
            clock.advance(GRACE);
            relay.runOnce();

            verify(quota).complete("res-more");
            assertTrue(stored(oneMore).isDelivered());
            sent.forEach(m -> assertTrue(stored(m).isDelivered()));
            assertEquals(0, relay.backlog());
        }

        @Test
        void theBackgroundNeverSendsACompletionAgainWhileItsAnswerIsAwaited() {
            OutboxMessage m = quotaCompletion("res-1");
            relay.deliverNow(List.of(m));
            clock.advance(GRACE);

            assertEquals(0, relay.runOnce());

            verify(quota, never()).complete(any());
            verify(quota, times(1)).completeAsync("res-1");
        }

        @Test
        void awaitAnswersWaitsForTheCompletionsStillUnanswered() {
            relay.deliverNow(List.of(quotaCompletion("res-1")));

            assertFalse(relay.awaitAnswers(Duration.ofMillis(20)));

            unansweredAtMetering.get("res-1").complete(null);
            assertTrue(relay.awaitAnswers(Duration.ofMillis(20)));
        }
    }

    // ---- unknown kinds --------------------------------------------------------------------------

    @Test
    void anUnknownKindIsLoggedAndKeptForRetryNotDroppedSilently() {
        // e.g. written by a newer version during a rolling deploy
        OutboxMessage mystery = new OutboxMessage("msg-x", "ledger.export", "ledger.export:day-1", Map.of(), NOW, 0,
                NOW, Optional.empty(), Optional.empty());
        OutboxMessage known = new OutboxMessage("msg-y", OutboxRelay.QUOTA_COMPLETE, "quota.complete:res-1",
                Map.of("reservationId", "res-1"), NOW.plusMillis(1), 0, NOW, Optional.empty(), Optional.empty());
        outbox.append(mystery);
        outbox.append(known);
        Logger logger = (Logger) LoggerFactory.getLogger(OutboxRelay.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            assertEquals(1, relay.runOnce(), "the known message still goes out");
        } finally {
            logger.detachAppender(logged);
        }

        OutboxMessage kept = stored(mystery);
        assertFalse(kept.isDelivered());
        assertEquals(1, kept.attempts());
        assertEquals(NOW.plusSeconds(1), kept.nextAttemptAt());
        assertTrue(kept.lastError().orElseThrow().contains("unknown outbox message kind ledger.export"),
                kept.lastError().toString());
        assertTrue(stored(known).isDelivered());
        assertEquals(1, outbox.countPending());
        assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().contains("ledger.export")), "a warning names the kind");

        clock.advance(Duration.ofSeconds(1));
        relay.runOnce();
        assertEquals(2, stored(mystery).attempts(), "retried, with the next backoff");
        assertEquals(NOW.plusSeconds(1 + 2), stored(mystery).nextAttemptAt());
    }

    // ---- concurrency ----------------------------------------------------------------------------

    @Nested
    class Concurrency {

        private final ExecutorService other = Executors.newSingleThreadExecutor();

        @AfterEach
        void stop() throws InterruptedException {
            other.shutdownNow();
            assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
        }

        @Test
        @Timeout(30)
        void aBackgroundPassSkipsAMessageTheImmediateAttemptIsStillDelivering() throws Exception {
            OutboxMessage m = quotaCompletion("res-1");
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            doAnswer(inv -> {
                inside.countDown();
                assertTrue(finish.await(10, TimeUnit.SECONDS));
                return null;
            }).when(quota).complete("res-1");

            Future<?> immediate = other.submit(() -> relay.deliverNow(List.of(m)));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            // the slow call outlasts the grace: the message is due and not yet acknowledged
            clock.advance(GRACE.plusSeconds(1));
            int deliveredByBackground = relay.runOnce();
            finish.countDown();
            immediate.get(10, TimeUnit.SECONDS);

            assertEquals(0, deliveredByBackground);
            verify(quota, times(1)).complete("res-1");
            assertEquals(0, relay.runOnce());
            assertTrue(stored(m).isDelivered());
            assertEquals(1, stored(m).attempts());
            verify(quota, times(1)).complete("res-1");
        }

        @Test
        @Timeout(60)
        void immediateAttemptsAndBackgroundPassesNeverDeliverOneMessageTwiceAtOnce() throws Exception {
            int messages = 300;
            List<OutboxMessage> all = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                all.add(quotaCompletion("res-" + i));
            }
            clock.advance(GRACE); // everything is due for the background too
            Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            doAnswer(inv -> {
                AtomicInteger now = active.computeIfAbsent(inv.getArgument(0), k -> new AtomicInteger());
                if (now.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                calls.incrementAndGet();
                Thread.yield();
                now.decrementAndGet();
                return null;
            }).when(quota).complete(anyString());

            Future<?> immediate = other.submit(() -> relay.deliverNow(all));
            while (!immediate.isDone()) {
                relay.runOnce();
            }
            immediate.get();
            relay.runOnce();

            assertEquals(0, overlaps.get(), "one message delivered by two threads at the same time");
            assertTrue(calls.get() >= messages, "every message delivered at least once");
            assertEquals(0, relay.backlog());
            all.forEach(m -> assertTrue(stored(m).isDelivered()));
        }
    }
}
