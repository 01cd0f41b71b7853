package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.tradingdemo.domain.port.contract.TestData.trade;

import java.math.BigDecimal;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.PortfolioRepository;

/** What every {@link PortfolioRepository} must do. Subclass once per adapter. */
public abstract class AbstractPortfolioRepositoryContract<T extends PortfolioRepository> {

    protected T repository;

    /** A repository to test; it may share its store with other tests. */
    protected abstract T create();

    @BeforeEach
    void setUpRepository() {
        repository = create();
    }

    @Test
    void freshPortfolioIsFoundEqual() {
        Portfolio fresh = TestData.portfolio(TestData.newAgentId());

        repository.save(fresh);

        assertEquals(Optional.of(fresh), repository.findByAgentId(fresh.agentId()));
    }

    @Test
    void positionsReservationsAndRealizedPnLSurviveExactly() {
        Portfolio busy = TestData.busyPortfolio(TestData.newAgentId());

        repository.save(busy);

        Portfolio found = repository.findByAgentId(busy.agentId()).orElseThrow();
        assertEquals(busy, found);
        assertEquals(busy.positions(), found.positions());
        assertEquals(busy.reservations(), found.reservations());
        assertEquals(new BigDecimal("0.00012345"), found.heldQuantity(Symbol.of("BTC/USD")));
        assertEquals(busy.availableCash(), found.availableCash());
        assertEquals(busy.realizedPnL(), found.realizedPnL());
    }

    @Test
    void largeAndTinyAmountsAreExact() {
        AgentId agent = TestData.newAgentId();
        Portfolio p = Portfolio.open(agent, Money.usd("999999.99"))
                .apply(trade().agentId(agent).buy("1", "0.1").status(TradeStatus.EXECUTED).build())
                .apply(trade().agentId(agent).buy("1", "0.2").status(TradeStatus.EXECUTED).build());

        repository.save(p);

        Portfolio found = repository.findByAgentId(agent).orElseThrow();
        assertEquals(Money.usd("999999.69"), found.cash());
        assertEquals(Money.usd("0.30"), found.position(Symbol.of("AAPL")).orElseThrow().costBasis());
    }

    @Test
    void saveReplacesTheAgentsPortfolio() {
        Portfolio before = TestData.portfolio(TestData.newAgentId());
        repository.save(before);
        Portfolio after = before.apply(trade().agentId(before.agentId()).buy("10", "150").status(TradeStatus.EXECUTED).build());

        repository.save(after);

        assertEquals(Optional.of(after), repository.findByAgentId(before.agentId()));
        assertNotEquals(before, after);
    }

    @Test
    void unknownAgentIsEmpty() {
        assertEquals(Optional.empty(), repository.findByAgentId(TestData.newAgentId()));
    }
}
