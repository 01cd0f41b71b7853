package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AAPL;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.OTHER_AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.OWNER;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.awaitingApproval;
import static org.tradingdemo.app.service.ServiceTestData.holding;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;
import static org.tradingdemo.app.service.ServiceTestData.trade;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.port.in.ListAgentsUseCase.ListAgentsQuery;
import org.tradingdemo.app.port.in.ListAlertsUseCase.ListAlertsQuery;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase.ListOversightRequestsQuery;
import org.tradingdemo.app.port.in.ListTradesUseCase.ListTradesQuery;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.PortfolioValuation;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AgentRepository.AgentQuery;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.AlertRepository.AlertQuery;
import org.tradingdemo.domain.port.MarketDataPort;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightRequestRepository.OversightQuery;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.TradeRepository.TradeQuery;

/**
 * The read side: a trader sees only their own agents (and what hangs off them), a supervisor sees
 * everything, and what is invisible looks exactly like what does not exist.
 */
@ExtendWith(MockitoExtension.class)
class QueryServicesTest {

    private static final PageRequest PAGE = PageRequest.first(20);

    @Mock AgentRepository agents;
    @Mock TradeRepository trades;
    @Mock PortfolioRepository portfolios;
    @Mock OversightRequestRepository requests;
    @Mock AlertRepository alerts;
    @Mock MarketDataPort marketData;

    @Nested
    class AgentQueries {

        private AgentQueryService service() {
            return new AgentQueryService(agents);
        }

        @Test
        void theOwnerAndASupervisorSeeTheAgentAnotherTraderDoesNot() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

            assertEquals(Optional.of(agent()), service().get(OWNER_ACTOR, AGENT_ID));
            assertEquals(Optional.of(agent()), service().get(SUPERVISOR, AGENT_ID));
            assertEquals(Optional.empty(), service().get(STRANGER_ACTOR, AGENT_ID));
        }

        @Test
        void anUnknownAgentIsEmpty() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.empty());

            assertEquals(Optional.empty(), service().get(SUPERVISOR, AGENT_ID));
        }

        @Test
        void aTradersListIsFilteredByOwner() {
            Page<Agent> page = new Page<>(List.of(agent()), Optional.empty());
            AgentQuery expected = new AgentQuery(Optional.of(OWNER), Optional.of(AgentStatus.ACTIVE), PAGE);
            when(agents.list(expected)).thenReturn(page);

            assertEquals(page, service().list(new ListAgentsQuery(OWNER_ACTOR, Optional.of(AgentStatus.ACTIVE), PAGE)));
        }

        @Test
        void aSupervisorsListIsNotFilteredByOwner() {
            AgentQuery expected = new AgentQuery(Optional.empty(), Optional.empty(), PAGE);
            when(agents.list(expected)).thenReturn(Page.empty());

            assertEquals(Page.empty(), service().list(new ListAgentsQuery(SUPERVISOR, Optional.empty(), PAGE)));
        }
    }

    @Nested
    class TradeQueries {

        private final Trade trade = trade("trade-1", Side.BUY, "10", "150").execute(NOW);

        private TradeQueryService service() {
            return new TradeQueryService(agents, trades, portfolios, marketData);
        }

        @Test
        void aTradeIsVisibleThroughItsAgent() {
            when(trades.findById(trade.id())).thenReturn(Optional.of(trade));
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

            assertEquals(Optional.of(trade), service().get(OWNER_ACTOR, trade.id()));
            assertEquals(Optional.of(trade), service().get(SUPERVISOR, trade.id()));
            assertEquals(Optional.empty(), service().get(STRANGER_ACTOR, trade.id()));
        }

        @Test
        void aTradeOfAVanishedAgentIsEmpty() {
            when(trades.findById(trade.id())).thenReturn(Optional.of(trade));
            when(agents.findById(AGENT_ID)).thenReturn(Optional.empty());

            assertEquals(Optional.empty(), service().get(SUPERVISOR, trade.id()));
        }

        @Test
        void listingPassesEveryFilterToTheRepository() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
            Instant from = NOW.minusSeconds(3600);
            TradeQuery expected = new TradeQuery(AGENT_ID, Optional.of(TradeStatus.EXECUTED), Optional.of(AAPL),
                    Optional.of(from), Optional.of(NOW), PAGE);
            Page<Trade> page = new Page<>(List.of(trade), Optional.empty());
            when(trades.list(expected)).thenReturn(page);

            Optional<Page<Trade>> result = service().list(new ListTradesQuery(OWNER_ACTOR, AGENT_ID,
                    Optional.of(TradeStatus.EXECUTED), Optional.of(AAPL), Optional.of(from), Optional.of(NOW), PAGE));

            assertEquals(Optional.of(page), result);
        }

        @Test
        void listingTheTradesOfAnInvisibleAgentIsEmptyAndNeverQueriesTrades() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

            Optional<Page<Trade>> result = service().list(new ListTradesQuery(STRANGER_ACTOR, AGENT_ID,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), PAGE));

            assertEquals(Optional.empty(), result);
            verifyNoInteractions(trades);
        }

        @Test
        void thePortfolioIsValuedAtMarketPrices() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
            Portfolio held = holding("10", "100");
            when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(held));
            when(marketData.lastPrice(AAPL)).thenReturn(Optional.of(Price.of("120")));

            PortfolioValuation valuation = service().get(OWNER_ACTOR, AGENT_ID).orElseThrow();

            assertEquals(Money.usd("200.00"), valuation.unrealizedPnL());
            assertEquals(Money.usd("100200.00"), valuation.totalValue());
            assertEquals(Price.of("120"), valuation.positions().get(0).currentPrice());
        }

        @Test
        void theMarketPriceFallsBackToTheLastExecutionPrice() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
            when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(holding("10", "100")));
            when(marketData.lastPrice(AAPL)).thenReturn(Optional.empty());

            PortfolioValuation valuation = service().get(OWNER_ACTOR, AGENT_ID).orElseThrow();

            assertEquals(Money.usd("0.00"), valuation.unrealizedPnL());
        }

        @Test
        void anInvisiblePortfolioIsEmptyAndNeverRead() {
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

            assertEquals(Optional.empty(), service().get(STRANGER_ACTOR, AGENT_ID));
            verifyNoInteractions(portfolios, marketData);
        }
    }

    @Nested
    class OversightQueries {

        private final OversightRequest request = pendingRequest("req-1", awaitingApproval("trade-1", "10", "150", "r"));

        private OversightQueryService service() {
            return new OversightQueryService(requests, agents);
        }

        @Test
        void aTraderListsOnlyTheRequestsOfTheirOwnAgents() {
            when(agents.idsOwnedBy(OWNER)).thenReturn(List.of(AGENT_ID, OTHER_AGENT_ID));
            OversightQuery expected = new OversightQuery(Optional.of(OversightStatus.PENDING),
                    Optional.of(Set.of(AGENT_ID, OTHER_AGENT_ID)), PAGE);
            Page<OversightRequest> page = new Page<>(List.of(request), Optional.empty());
            when(requests.list(expected)).thenReturn(page);

            assertEquals(page, service().list(
                    new ListOversightRequestsQuery(OWNER_ACTOR, Optional.of(OversightStatus.PENDING), PAGE)));
        }

        @Test
        void aTraderWithoutAgentsGetsAnEmptyScopeNotEverything() {
            when(agents.idsOwnedBy(STRANGER)).thenReturn(List.of());
            OversightQuery expected = new OversightQuery(Optional.empty(), Optional.of(Set.of()), PAGE);
            when(requests.list(expected)).thenReturn(Page.empty());

            assertEquals(Page.empty(), service().list(
                    new ListOversightRequestsQuery(STRANGER_ACTOR, Optional.empty(), PAGE)));
        }

        @Test
        void aSupervisorListsEveryRequest() {
            OversightQuery expected = new OversightQuery(Optional.empty(), Optional.empty(), PAGE);
            when(requests.list(expected)).thenReturn(Page.empty());

            service().list(new ListOversightRequestsQuery(SUPERVISOR, Optional.empty(), PAGE));

            verify(requests).list(expected);
            verifyNoInteractions(agents);
        }

        @Test
        void aRequestIsVisibleThroughItsAgent() {
            when(requests.findById(request.id())).thenReturn(Optional.of(request));
            when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

            assertEquals(Optional.of(request), service().get(OWNER_ACTOR, request.id()));
            assertEquals(Optional.of(request), service().get(SUPERVISOR, request.id()));
            assertEquals(Optional.empty(), service().get(STRANGER_ACTOR, request.id()));
        }
    }

    @Nested
    class AlertQueries {

        private AlertQueryService service() {
            return new AlertQueryService(alerts, agents);
        }

        @Test
        void aTraderSeesAlertsOfTheirAgentsAndSystemWideOnes() {
            when(agents.idsOwnedBy(OWNER)).thenReturn(List.of(AGENT_ID));
            AlertQuery expected = new AlertQuery(Optional.of(false), Optional.of(AlertSeverity.CRITICAL),
                    Optional.of(Set.of(AGENT_ID)), PAGE);
            when(alerts.list(expected)).thenReturn(Page.empty());

            service().list(new ListAlertsQuery(OWNER_ACTOR, Optional.of(false), Optional.of(AlertSeverity.CRITICAL), PAGE));

            verify(alerts).list(expected);
            Alert mine = Alert.raise(org.tradingdemo.domain.model.AlertId.of("a1"), AlertSeverity.CRITICAL, "risk",
                    "m", Optional.of(AGENT_ID), NOW);
            Alert others = Alert.raise(org.tradingdemo.domain.model.AlertId.of("a2"), AlertSeverity.CRITICAL, "risk",
                    "m", Optional.of(OTHER_AGENT_ID), NOW);
            Alert systemWide = Alert.raise(org.tradingdemo.domain.model.AlertId.of("a3"), AlertSeverity.CRITICAL,
                    "risk", "m", Optional.empty(), NOW);
            assertEquals(List.of(true, false, true),
                    List.of(expected.matches(mine), expected.matches(others), expected.matches(systemWide)));
        }

        @Test
        void aSupervisorSeesEveryAlert() {
            AlertQuery expected = new AlertQuery(Optional.empty(), Optional.empty(), Optional.empty(), PAGE);
            when(alerts.list(any())).thenReturn(Page.empty());

            service().list(new ListAlertsQuery(SUPERVISOR, Optional.empty(), Optional.empty(), PAGE));

            verify(alerts).list(expected);
            verifyNoInteractions(agents);
        }
    }
}
