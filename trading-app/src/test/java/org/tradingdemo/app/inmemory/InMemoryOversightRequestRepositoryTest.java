package org.tradingdemo.app.inmemory;

import org.tradingdemo.domain.port.contract.AbstractOversightRequestRepositoryContract;

class InMemoryOversightRequestRepositoryTest extends AbstractOversightRequestRepositoryContract<InMemoryOversightRequestRepository> {

    @Override
    protected InMemoryOversightRequestRepository create() {
        return new InMemoryOversightRequestRepository(new InMemoryTransactions());
    }
}
