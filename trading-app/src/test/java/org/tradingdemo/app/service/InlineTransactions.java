package org.tradingdemo.app.service;

import java.util.function.Supplier;

import org.tradingdemo.domain.port.Transactions;

/**
 * The unit of work, faked: runs the work inline on the caller's thread and notes
 * {@code begin}/{@code commit}/{@code rollback} in the journal. Tests wrap it in a Mockito spy
 * when they also want {@code verify(tx)}.
 */
public class InlineTransactions implements Transactions {

    private final Journal journal;
    private int commits;
    private int rollbacks;

    public InlineTransactions(Journal journal) {
        this.journal = journal;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        journal.add("begin");
        try {
            T result = work.get();
            commits++;
            journal.add("commit");
            return result;
        } catch (RuntimeException e) {
            rollbacks++;
            journal.add("rollback");
            throw e;
        }
    }

    public int commits() {
        return commits;
    }

    public int rollbacks() {
        return rollbacks;
    }
}
