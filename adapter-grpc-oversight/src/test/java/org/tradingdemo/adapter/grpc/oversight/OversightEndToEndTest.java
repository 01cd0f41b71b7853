package org.tradingdemo.adapter.grpc.oversight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.app.TradingDemo;
import org.tradingdemo.app.TradingStore;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.proto.oversight.v1.RequestStatus;

/**
 * The real use cases (in-memory store) with this module's client and listener against the reference server:
 * whoever decides first, both sides end the same way and the trade is settled once.
 */
@Timeout(60)
class OversightEndToEndTest {

    private static final Actor TRADER = Actor.owner(UserId.of("trader-1"));
    private final List<AutoCloseable> resources = new ArrayList<>();
    private InProcessOversight oversight;
    private TradingStore store;
    private TradingDemo demo;
    private Agent agent;
    private SubmitTradeResult.PendingApproval pending;

    @BeforeEach
    void setUp() {
        oversight = use(new InProcessOversight());
        store = TradingStore.inMemory();
        GrpcApprovalClient client = use(new GrpcApprovalClient(OversightClientConfig.of(oversight.target()),
                id -> store.agents().findById(id).map(Agent::userId)));
        demo = TradingDemo.builder(oversight.clock).store(store).approval(client).build();
        agent = demo.createAgent().create(CreateAgentCommand.of(TRADER, "Alpha", new BigDecimal("100000"), "balanced",
                "medium", null));
        SubmitTradeResult result = demo.submitTrade().submit(SubmitTradeCommand.of(TRADER, agent.id(), "AAPL", "buy",
                new BigDecimal("400"), new BigDecimal("150"), "limit", null));
        pending = assertInstanceOf(SubmitTradeResult.PendingApproval.class, result);
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

    private String requestId() {
        return pending.request().id().value();
    }

    private OversightRequest local() {
        return store.oversightRequests().findById(pending.request().id()).orElseThrow();
    }

    private TradeStatus tradeStatus() {
        return store.trades().findById(pending.trade().id()).orElseThrow().status();
    }

    private Money cash() {
        return store.portfolios().findByAgentId(agent.id()).orElseThrow().cash();
    }

    @Test
    void theRequestReachesTheAuthorityWithItsOwner() {
        var there = oversight.authority.get(requestId());
        assertEquals(RequestStatus.REQUEST_STATUS_PENDING, there.getStatus());
        assertEquals("trader-1", there.getOwnerUserId());
        assertEquals(ProtoMapping.timestamp(pending.request().expiresAt()), there.getExpiresAt());
    }

    @Test
    void anApprovalAtTheAuthorityExecutesTheTradeHereOnce() {
        OversightDecisionListener listener = use(new OversightDecisionListener(
                OversightClientConfig.of(oversight.target()), demo.decideOversightRequest())).start();
        oversight.server().approve(requestId(), "alice", "ok");
        Await.until("applied", () -> listener.lastAppliedSequence() == 1);

        assertEquals(OversightStatus.APPROVED, local().status());
        assertEquals(Optional.of(UserId.of("alice")), local().processedBy());
        assertEquals(TradeStatus.EXECUTED, tradeStatus());
        assertEquals(Money.usd(40_000), cash());
    }

    @Test
    void aLocalDecisionFirstIsRecordedAtTheAuthorityAndTheEchoChangesNothing() {
        OversightDecisionListener listener = use(new OversightDecisionListener(
                OversightClientConfig.of(oversight.target()), demo.decideOversightRequest())).start();
        var result = demo.decideOversightRequest().decide(new DecideCommand(Actor.supervisor(UserId.of("bob")),
                pending.request().id(), Decision.APPROVE, Optional.empty()));
        assertInstanceOf(DecideOversightRequestUseCase.Approved.class, result);
        assertEquals("bob", oversight.authority.get(requestId()).getDecidedBy());

        Await.until("the echo handled", () -> listener.lastAppliedSequence() == 1);
        assertEquals(TradeStatus.EXECUTED, tradeStatus());
        assertEquals(Money.usd(40_000), cash(), "executed once");
    }

    @Test
    void whenTheAuthorityDecidedFirstItsDecisionIsTheOneApplied() {
        oversight.server().reject(requestId(), "alice", "too concentrated"); // no listener: the news has not arrived
        var result = demo.decideOversightRequest().decide(new DecideCommand(Actor.supervisor(UserId.of("bob")),
                pending.request().id(), Decision.APPROVE, Optional.empty()));

        var closed = assertInstanceOf(DecideOversightRequestUseCase.AlreadyClosed.class, result);
        assertEquals(OversightStatus.REJECTED, closed.request().status());
        assertEquals(OversightStatus.REJECTED, local().status());
        assertEquals(Optional.of(UserId.of("alice")), local().processedBy());
        assertEquals(TradeStatus.REJECTED, tradeStatus());
        assertEquals(Money.usd(100_000), cash());
        assertEquals(Money.usd(100_000),
                store.portfolios().findByAgentId(agent.id()).orElseThrow().availableCash(), "reservation released");
    }
}
