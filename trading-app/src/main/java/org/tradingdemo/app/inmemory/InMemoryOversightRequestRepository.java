package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.port.OversightRequestRepository;

/**
 * Approval requests in memory. Pending requests are also kept sorted by deadline, so the expiry
 * sweep reads only the overdue head, and counted, so {@link #countPending} does not scan.
 *
 * <p>At most one request per trade: a second request for a trade is a caller bug and is refused
 * with {@link IllegalStateException}, at save time or at commit.
 */
public final class InMemoryOversightRequestRepository implements OversightRequestRepository {

    private static final Comparator<OversightRequest> OLDEST_DEADLINE_FIRST =
            Comparator.comparing(OversightRequest::expiresAt).thenComparing(r -> r.id().value());

    private final InMemoryTransactions transactions;
    private final InMemoryTable<OversightRequestId, OversightRequest> requests;
    private final NewestFirstIndex<OversightRequest> newestFirst =
            new NewestFirstIndex<>(OversightRequest::createdAt, r -> r.id().value());
    private final Map<TradeId, OversightRequestId> byTradeId = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<OversightRequest> pendingByDeadline =
            new ConcurrentSkipListSet<>(OLDEST_DEADLINE_FIRST);
    private final AtomicLong pendingCount = new AtomicLong();

    public InMemoryOversightRequestRepository(InMemoryTransactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.requests = new InMemoryTable<>(transactions, "oversight_requests");
        requests.beforeCommit(this::requireOnePerTrade);
        requests.onCommit(this::index);
    }

    @Override
    public void save(OversightRequest request) {
        findByTradeId(request.tradeId())
                .filter(other -> !other.id().equals(request.id()))
                .ifPresent(other -> {
                    throw secondRequest(request, other.id());
                });
        requests.put(request.id(), request);
    }

    @Override
    public Optional<OversightRequest> findById(OversightRequestId id) {
        return requests.get(id);
    }

    @Override
    public Optional<OversightRequest> findByTradeId(TradeId tradeId) {
        Optional<OversightRequest> own = requests.staged().values().stream()
                .filter(r -> r.tradeId().equals(tradeId)).findFirst();
        if (own.isPresent()) {
            return own;
        }
        return transactions.read(() -> Optional.ofNullable(byTradeId.get(tradeId)))
                .flatMap(requests::get)
                .filter(r -> r.tradeId().equals(tradeId));
    }

    @Override
    public Page<OversightRequest> list(OversightQuery query) {
        Map<OversightRequestId, OversightRequest> staged = requests.staged();
        return transactions.read(() -> newestFirst.page(query.page(), query::matches, staged.values(),
                r -> staged.containsKey(r.id())));
    }

    /** Ties on the deadline are broken by id, so repeated sweeps see a stable order. */
    @Override
    public List<OversightRequest> findOverdue(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Map<OversightRequestId, OversightRequest> staged = requests.staged();
        List<OversightRequest> overdue = new ArrayList<>();
        transactions.read(() -> {
            for (OversightRequest r : pendingByDeadline) {
                if (r.expiresAt().isAfter(now) || overdue.size() == limit) {
                    break;
                }
                if (!staged.containsKey(r.id())) {
                    overdue.add(r);
                }
            }
            return null;
        });
        staged.values().stream().filter(r -> r.isOverdue(now)).forEach(overdue::add);
        return overdue.stream().sorted(OLDEST_DEADLINE_FIRST).limit(limit).toList();
    }

    @Override
    public long countPending() {
        Map<OversightRequestId, OversightRequest> staged = requests.staged();
        return transactions.read(() -> {
            long count = pendingCount.get();
            for (OversightRequest r : staged.values()) {
                boolean wasPending = requests.getCommitted(r.id()).map(OversightRequest::isPending).orElse(false);
                count += (r.isPending() ? 1 : 0) - (wasPending ? 1 : 0);
            }
            return count;
        });
    }

    private void requireOnePerTrade(Map<OversightRequestId, OversightRequest> staged) {
        for (OversightRequest r : staged.values()) {
            OversightRequestId holder = byTradeId.get(r.tradeId());
            if (holder == null || holder.equals(r.id())) {
                continue;
            }
            OversightRequest holderAfterCommit = staged.containsKey(holder)
                    ? staged.get(holder) : requests.getCommitted(holder).orElse(null);
            if (holderAfterCommit != null && holderAfterCommit.tradeId().equals(r.tradeId())) {
                throw secondRequest(r, holder);
            }
        }
    }

    private void index(OversightRequestId id, Optional<OversightRequest> before, OversightRequest after) {
        before.ifPresent(b -> {
            byTradeId.remove(b.tradeId(), id);
            if (pendingByDeadline.remove(b)) {
                pendingCount.decrementAndGet();
            }
        });
        newestFirst.update(before, after);
        byTradeId.put(after.tradeId(), id);
        if (after.isPending() && pendingByDeadline.add(after)) {
            pendingCount.incrementAndGet();
        }
    }

    private static IllegalStateException secondRequest(OversightRequest request, OversightRequestId existing) {
        return new IllegalStateException("trade " + request.tradeId() + " already has oversight request " + existing
                + "; refusing " + request.id());
    }
}
