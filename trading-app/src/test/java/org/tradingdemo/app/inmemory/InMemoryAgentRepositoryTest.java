package org.tradingdemo.app.inmemory;

import org.tradingdemo.domain.port.contract.AbstractAgentRepositoryContract;

class InMemoryAgentRepositoryTest extends AbstractAgentRepositoryContract<InMemoryAgentRepository> {

    @Override
    protected InMemoryAgentRepository create() {
        return new InMemoryAgentRepository(new InMemoryTransactions());
    }
}
