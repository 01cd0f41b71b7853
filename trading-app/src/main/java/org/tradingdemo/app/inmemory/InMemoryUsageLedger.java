package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * The usage ledger in memory. Every trade asks for its agent's daily and monthly totals, so those two
 * windows are answered from per-(agent, UTC day) and per-(agent, UTC month) totals kept up to date at
 * commit: one map lookup however long the ledger grows. Any other window walks the agent's records in
 * time order between its bounds. The caller's own staged records are added on top.
 */
public final class InMemoryUsageLedger implements UsageLedger {

    private static final long SECONDS_PER_DAY = 86_400;

    private final InMemoryTransactions transactions;
    private final InMemoryTable<String, UsageRecord> records;
    /** Written under the commit lock, read under the read lock only (see {@link TimeOrderedUsage}). */
    private final Map<AgentId, TimeOrderedUsage> byAgent = new ConcurrentHashMap<>();
    private final Map<LocalDate, Map<AgentId, UsageTotals>> daily = new ConcurrentHashMap<>();
    private final Map<YearMonth, Map<AgentId, UsageTotals>> monthly = new ConcurrentHashMap<>();

    public InMemoryUsageLedger(InMemoryTransactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        // event ids end in time-ordered ids (an executed trade's is the bare trade id): new records land
        // at the end of their kind's run
        this.records = new InMemoryTable<>(transactions, "usage_records", Comparator.<String>naturalOrder());
        records.onCommit((eventId, before, after) -> aggregate(after));
    }

    /** Idempotent by event id, including against a record staged earlier in the same transaction. */
    @Override
    public boolean append(UsageRecord record) {
        return records.putIfAbsent(record.eventId(), record);
    }

    @Override
    public UsageTotals totals(AgentId agentId, Instant from, Instant to) {
        Objects.requireNonNull(agentId, "agentId");
        if (!from.isBefore(to)) {
            return UsageTotals.empty();
        }
        // a single lookup for a day or a month: no lock unless a commit interleaves; else a walk, locked
        UsageTotals committed = transactions.readOptimistically(() -> aggregated(agentId, from, to))
                .orElseGet(() -> transactions.read(() -> summed(agentId, from, to)));
        if (!records.hasStaged()) {
            return committed;
        }
        return stagedTotals(from, to).getOrDefault(agentId, UsageTotals.empty()).plus(committed);
    }

    @Override
    public Map<AgentId, UsageTotals> totalsByAgent(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return Map.of();
        }
        Map<AgentId, UsageTotals> result = new HashMap<>(transactions.read(() -> committedTotalsByAgent(from, to)));
        stagedTotals(from, to).forEach((agent, totals) -> result.merge(agent, totals, UsageTotals::plus));
        return Map.copyOf(result);
    }

    /** The kept totals of a day or month window; empty for any other window. */
    private Optional<UsageTotals> aggregated(AgentId agentId, Instant from, Instant to) {
        return aggregateFor(from, to).map(aggregate -> aggregate.getOrDefault(agentId, UsageTotals.empty()));
    }

    /** Under the read lock. */
    private UsageTotals summed(AgentId agentId, Instant from, Instant to) {
        TimeOrderedUsage agentRecords = byAgent.get(agentId);
        return agentRecords == null ? UsageTotals.empty() : agentRecords.sum(from, to);
    }

    private Map<AgentId, UsageTotals> committedTotalsByAgent(Instant from, Instant to) {
        Optional<Map<AgentId, UsageTotals>> aggregate = aggregateFor(from, to);
        if (aggregate.isPresent()) {
            return Map.copyOf(aggregate.get());
        }
        Map<AgentId, UsageTotals> result = new HashMap<>();
        byAgent.forEach((agent, agentRecords) -> {
            UsageTotals totals = agentRecords.sum(from, to);
            if (!totals.byType().isEmpty()) {
                result.put(agent, totals);
            }
        });
        return result;
    }

    /** The kept totals when [from, to) is exactly one UTC day or one UTC calendar month. */
    private Optional<Map<AgentId, UsageTotals>> aggregateFor(Instant from, Instant to) {
        if (from.getNano() != 0 || to.getNano() != 0 || Math.floorMod(from.getEpochSecond(), SECONDS_PER_DAY) != 0) {
            return Optional.empty();
        }
        long epochDay = Math.floorDiv(from.getEpochSecond(), SECONDS_PER_DAY);
        if (to.getEpochSecond() == from.getEpochSecond() + SECONDS_PER_DAY) {
            return Optional.of(daily.getOrDefault(LocalDate.ofEpochDay(epochDay), Map.of()));
        }
        LocalDate day = LocalDate.ofEpochDay(epochDay);
        if (day.getDayOfMonth() == 1 && to.equals(startOf(day.plusMonths(1)))) {
            return Optional.of(monthly.getOrDefault(YearMonth.from(day), Map.of()));
        }
        return Optional.empty();
    }

    /** The caller's staged records in the window, minus any another transaction has committed since. */
    private Map<AgentId, UsageTotals> stagedTotals(Instant from, Instant to) {
        Map<AgentId, UsageTotals> result = new HashMap<>();
        for (UsageRecord r : records.staged().values()) {
            if (!r.occurredAt().isBefore(from) && r.occurredAt().isBefore(to)
                    && records.getCommitted(r.eventId()).isEmpty()) {
                result.merge(r.agentId(), single(r), UsageTotals::plus);
            }
        }
        return result;
    }

    private void aggregate(UsageRecord r) {
        byAgent.computeIfAbsent(r.agentId(), a -> new TimeOrderedUsage()).add(r);
        // from the epoch second: LocalDate.ofInstant would build the UTC zone rules on every call
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(r.occurredAt().getEpochSecond(), SECONDS_PER_DAY));
        UsageTotals one = single(r);
        daily.computeIfAbsent(day, d -> new ConcurrentHashMap<>()).merge(r.agentId(), one, UsageTotals::plus);
        monthly.computeIfAbsent(YearMonth.of(day.getYear(), day.getMonth()), m -> new ConcurrentHashMap<>())
                .merge(r.agentId(), one, UsageTotals::plus);
    }

    static UsageTotals single(UsageRecord r) {
        return new UsageTotals(Map.of(r.type(), new UsageTotals.Total(1, r.amount())));
    }

    private static Instant startOf(LocalDate day) {
        return Instant.ofEpochSecond(day.toEpochDay() * SECONDS_PER_DAY);
    }
}
