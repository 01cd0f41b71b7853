package org.tradingdemo.app.inmemory;

import org.tradingdemo.domain.port.contract.AbstractAlertRepositoryContract;

class InMemoryAlertRepositoryTest extends AbstractAlertRepositoryContract<InMemoryAlertRepository> {

    @Override
    protected InMemoryAlertRepository create() {
        return new InMemoryAlertRepository(new InMemoryTransactions());
    }
}
