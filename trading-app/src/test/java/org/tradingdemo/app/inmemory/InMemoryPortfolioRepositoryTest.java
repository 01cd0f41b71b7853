package org.tradingdemo.app.inmemory;

import org.tradingdemo.domain.port.contract.AbstractPortfolioRepositoryContract;

class InMemoryPortfolioRepositoryTest extends AbstractPortfolioRepositoryContract<InMemoryPortfolioRepository> {

    @Override
    protected InMemoryPortfolioRepository create() {
        return new InMemoryPortfolioRepository(new InMemoryTransactions());
    }
}
