package org.tradingdemo.app.inmemory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.port.AlertRepository;

/** Alerts in memory, indexed newest first; filters are applied while walking the index. */
public final class InMemoryAlertRepository implements AlertRepository {

    private final InMemoryTransactions transactions;
    private final InMemoryTable<AlertId, Alert> alerts;
    private final NewestFirstIndex<Alert> newestFirst = new NewestFirstIndex<>(Alert::createdAt, a -> a.id().value());

    public InMemoryAlertRepository(InMemoryTransactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.alerts = new InMemoryTable<>(transactions, "alerts");
        alerts.onCommit((id, before, after) -> {
            before.ifPresent(newestFirst::remove);
            newestFirst.add(after);
        });
    }

    @Override
    public void save(Alert alert) {
        alerts.put(alert.id(), alert);
    }

    @Override
    public Optional<Alert> findById(AlertId id) {
        return alerts.get(id);
    }

    @Override
    public Page<Alert> list(AlertQuery query) {
        Map<AlertId, Alert> staged = alerts.staged();
        return transactions.read(() -> newestFirst.page(query.page(), query::matches, staged.values(),
                a -> staged.containsKey(a.id())));
    }
}
