package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tradingdemo.domain.port.contract.TestData.T0;
import static org.tradingdemo.domain.port.contract.TestData.trade;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.DuplicateClientOrderIdException;
import org.tradingdemo.domain.port.TradeRepository.TradeQuery;
import org.tradingdemo.domain.port.contract.AbstractTradeRepositoryContract;
import org.tradingdemo.domain.port.contract.TestData;

class InMemoryTradeRepositoryTest extends AbstractTradeRepositoryContract<InMemoryTradeRepository> {

    private final InMemoryTransactions transactions = new InMemoryTransactions();

    @Override
    protected InMemoryTradeRepository create() {
        return new InMemoryTradeRepository(transactions);
    }

    @Test
    void aClientOrderIdTakenByAnotherCommitWhileStagedIsRefusedAtCommit() {
        AgentId agent = TestData.newAgentId();
        Trade mine = trade().agentId(agent).clientOrderId("order-1").build();
        Trade theirs = trade().agentId(agent).clientOrderId("order-1").build();

        assertThrows(DuplicateClientOrderIdException.class, () -> transactions.run(() -> {
            repository.save(mine);
            // another thread commits the same order while this unit still holds it only staged
            CompletableFuture.runAsync(() -> repository.save(theirs)).join();
        }));

        assertEquals(Optional.of(theirs), repository.findByClientOrderId(agent, ClientOrderId.of("order-1")));
        assertEquals(Optional.empty(), repository.findById(mine.id()));
    }

    @Test
    void pagesMergeStagedAndCommittedTradesInOrder() {
        AgentId agent = TestData.newAgentId();
        List<Trade> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(trade().agentId(agent).submittedAt(T0.plusSeconds(i)).build());
        }
        for (int i = 0; i < 6; i += 2) {
            repository.save(all.get(i));
        }
        Trade replacedInTx = all.get(2).execute(T0.plusSeconds(30));

        transactions.run(() -> {
            for (int i = 1; i < 6; i += 2) {
                repository.save(all.get(i));
            }
            repository.save(replacedInTx);

            List<Trade> expected = new ArrayList<>(all);
            expected.set(2, replacedInTx);
            expected.sort(NEWEST_FIRST);
            assertEquals(expected, all(TradeQuery.all(agent, PageRequest.first(2))));
        });
    }
}
