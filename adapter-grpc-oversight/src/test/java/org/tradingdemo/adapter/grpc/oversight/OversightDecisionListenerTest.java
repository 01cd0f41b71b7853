package org.tradingdemo.adapter.grpc.oversight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.T0;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.TTL;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.uid;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecisionResult;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.OversightUnavailableException;

@Timeout(60)
class OversightDecisionListenerTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final DecideOversightRequestUseCase decide = mock(DecideOversightRequestUseCase.class);
    private final DecisionResult closedHere;

    OversightDecisionListenerTest() {
        Agent agent = Fixtures.agent(Fixtures.OWNER);
        Trade trade = Fixtures.trade(agent, Side.BUY, "400", "150");
        OversightRequest r = Fixtures.pending(trade, T0);
        closedHere = new DecideOversightRequestUseCase.AlreadyClosed(r.cancel("x", T0.plusSeconds(1)));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    private static OversightClientConfig fast(String target) {
        return OversightClientConfig.of(target).withRetries(3, Duration.ofMillis(10), Duration.ofMillis(80));
    }

    private OversightDecisionListener listen(String target, long after) {
        return use(new OversightDecisionListener(fast(target), decide, after)).start();
    }

    private static String open(OversightAuthority authority) {
        String id = uid("req");
        authority.submit(Fixtures.submit(id, T0.plus(TTL)));
        return id;
    }

    private static DecideCommand command(String approver, String id, Decision decision, String comment) {
        return new DecideCommand(new Actor(UserId.of(approver), true), OversightRequestId.of(id), decision,
                Optional.ofNullable(comment));
    }

    @Test
    void appliesAServerSideApprovalExactlyOnce() {
        when(decide.decide(any())).thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        String id = open(o.authority);
        OversightDecisionListener listener = listen(o.target(), 0);
        Await.until("connected", listener::isConnected);

        o.server().approve(id, "alice", "looks fine");
        Await.until("applied", () -> listener.lastAppliedSequence() == 1);
        // a later cancellation is handled (cursor moves) without driving the use case
        o.server().cancel(open(o.authority), "withdrawn");
        Await.until("handled", () -> listener.lastAppliedSequence() == 2);

        verify(decide, times(1)).decide(command("alice", id, Decision.APPROVE, "looks fine"));
        verifyNoMoreInteractions(decide);
        assertTrue(listener.isConnected());
    }

    @Test
    void appliesARejectionWithItsReasonAndIgnoresExpiries() {
        when(decide.decide(any())).thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        String rejected = open(o.authority);
        String expiring = open(o.authority);
        OversightDecisionListener listener = listen(o.target(), 0);
        o.server().reject(rejected, "bob", "too concentrated");
        o.clock.set(T0.plus(TTL));
        o.authority.expireOverdue();
        Await.until("both handled", () -> listener.lastAppliedSequence() == 2);
        verify(decide).decide(command("bob", rejected, Decision.REJECT, "too concentrated"));
        verifyNoMoreInteractions(decide);
    }

    @Test
    void startsAfterTheCursorItIsGiven() {
        when(decide.decide(any())).thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = open(o.authority);
            ids.add(id);
            o.server().approve(id, "alice", "");
        }
        OversightDecisionListener listener = listen(o.target(), 2);
        Await.until("the third applied", () -> listener.lastAppliedSequence() == 3);
        verify(decide).decide(command("alice", ids.get(2), Decision.APPROVE, null));
        verifyNoMoreInteractions(decide);
    }

    @Test
    void aRequestThisServiceNeverHadIsSkipped() {
        when(decide.decide(any())).thenReturn(new DecideOversightRequestUseCase.NotFound(), closedHere);
        InProcessOversight o = use(new InProcessOversight());
        String foreign = open(o.authority);
        String ours = open(o.authority);
        o.server().approve(foreign, "alice", "");
        o.server().approve(ours, "alice", "");
        OversightDecisionListener listener = listen(o.target(), 0);
        Await.until("both handled", () -> listener.lastAppliedSequence() == 2);
        verify(decide).decide(command("alice", foreign, Decision.APPROVE, null));
        verify(decide).decide(command("alice", ours, Decision.APPROVE, null));
        verifyNoMoreInteractions(decide);
    }

    @Test
    void waitsForTheAuthorityWhenTheUseCaseCannotReachIt() {
        when(decide.decide(any()))
                .thenThrow(new OversightUnavailableException("down", Duration.ofSeconds(1), null))
                .thenThrow(new OversightUnavailableException("down", Duration.ofSeconds(1), null))
                .thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        String id = open(o.authority);
        o.server().approve(id, "alice", "");
        OversightDecisionListener listener = listen(o.target(), 0);
        Await.until("applied", () -> listener.lastAppliedSequence() == 1);
        verify(decide, times(3)).decide(command("alice", id, Decision.APPROVE, null));
    }

    @Test
    void retriesWhileTheUseCaseAnswersOversightUnavailable() {
        when(decide.decide(any()))
                .thenReturn(new DecideOversightRequestUseCase.OversightUnavailable(Duration.ofSeconds(2)))
                .thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        String id = open(o.authority);
        o.server().reject(id, "bob", "no");
        OversightDecisionListener listener = listen(o.target(), 0);
        Await.until("applied", () -> listener.lastAppliedSequence() == 1);
        verify(decide, times(2)).decide(command("bob", id, Decision.REJECT, "no"));
        verifyNoMoreInteractions(decide);
    }

    @Test
    void aPoisonedEventIsSkippedAfterBoundedAttempts() {
        InProcessOversight o = use(new InProcessOversight());
        String poisoned = open(o.authority);
        String next = open(o.authority);
        when(decide.decide(argThat(c -> c != null && c.requestId().value().equals(poisoned))))
                .thenThrow(new IllegalStateException("bug"));
        when(decide.decide(argThat(c -> c != null && c.requestId().value().equals(next)))).thenReturn(closedHere);
        o.server().approve(poisoned, "alice", "");
        o.server().approve(next, "alice", "");
        OversightDecisionListener listener = listen(o.target(), 0);
        Await.until("both handled", () -> listener.lastAppliedSequence() == 2);
        verify(decide, times(OversightDecisionListener.MAX_APPLY_ATTEMPTS))
                .decide(command("alice", poisoned, Decision.APPROVE, null));
        verify(decide, times(1)).decide(command("alice", next, Decision.APPROVE, null));
    }

    @Test
    void decisionsTakenWhileTheStreamIsCutAreAppliedOnceAfterResume() {
        when(decide.decide(any())).thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        String before = open(o.authority);
        String during1 = open(o.authority);
        String during2 = open(o.authority);
        String during3 = open(o.authority);
        OversightDecisionListener listener = listen(o.target(), 0);
        o.server().approve(before, "alice", "");
        Await.until("first applied", () -> listener.lastAppliedSequence() == 1);

        o.stop();
        Await.until("disconnected", () -> !listener.isConnected());
        o.authority.approve(during1, "carol", "while you were away");
        o.authority.reject(during2, "dave", "no");
        o.authority.cancel(during3, "withdrawn");
        o.start();

        Await.until("resumed and caught up", () -> listener.lastAppliedSequence() == 4);
        assertTrue(listener.isConnected());
        verify(decide, times(1)).decide(command("alice", before, Decision.APPROVE, null));
        verify(decide, times(1)).decide(command("carol", during1, Decision.APPROVE, "while you were away"));
        verify(decide, times(1)).decide(command("dave", during2, Decision.REJECT, "no"));
        verifyNoMoreInteractions(decide);
    }

    @Test
    void resumesOverTheNetworkWhenTheServerComesBackOnItsPort() throws IOException {
        when(decide.decide(any())).thenReturn(closedHere);
        OversightAuthority authority = new OversightAuthority(new MutableClock(T0));
        OversightGrpcServer first = new OversightGrpcServer(OversightServerConfig.loopback(0), authority).start();
        int port = first.port();
        String a = open(authority);
        String b = open(authority);
        OversightDecisionListener listener = listen("127.0.0.1:" + port, 0);
        Await.until("connected", listener::isConnected);
        authority.approve(a, "alice", "");
        Await.until("first applied", () -> listener.lastAppliedSequence() == 1);

        first.close();
        Await.until("disconnected", () -> !listener.isConnected());
        authority.reject(b, "bob", "changed my mind");
        OversightGrpcServer second = use(new OversightGrpcServer(OversightServerConfig.loopback(port), authority).start());
        Await.until("resumed", () -> listener.lastAppliedSequence() == 2);
        assertEquals(port, second.port());
        verify(decide, times(1)).decide(command("alice", a, Decision.APPROVE, null));
        verify(decide, times(1)).decide(command("bob", b, Decision.REJECT, "changed my mind"));
        verifyNoMoreInteractions(decide);
    }

    @Test
    void waitsForAServerThatIsNotThereYet() {
        when(decide.decide(any())).thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        o.stop();
        String id = open(o.authority);
        o.authority.approve(id, "alice", "");
        OversightDecisionListener listener = listen(o.target(), 0);
        assertFalse(listener.isConnected());
        o.start();
        Await.until("applied", () -> listener.lastAppliedSequence() == 1);
        verify(decide).decide(command("alice", id, Decision.APPROVE, null));
    }

    @Test
    void closeStopsFollowing() {
        when(decide.decide(any())).thenReturn(closedHere);
        InProcessOversight o = use(new InProcessOversight());
        OversightDecisionListener listener = listen(o.target(), 0);
        Await.until("connected", listener::isConnected);
        listener.close();
        assertFalse(listener.isConnected());
        o.server().approve(open(o.authority), "alice", "");
        Await.until("the server saw the watcher go", () -> o.server().watcherCount() == 0);
        assertEquals(0, listener.lastAppliedSequence());
        verifyNoMoreInteractions(decide);
    }
}
