package org.tradingdemo.adapter.sqlite;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * The usage ledger: one row per event in {@code usage_records} (the event id is the primary key, so
 * {@code INSERT ... ON CONFLICT DO NOTHING} makes {@link #append} idempotent), plus a running total per
 * (agent, UTC day, type) in {@code usage_daily}, updated in the same transaction as the insert. (Until
 * schema V3 there were monthly totals too; a month is now the sum of its days, at most 31 rows per
 * type, read once and then kept in memory - see below. One total row per record instead of two.)
 *
 * <p>Amounts are exact decimal TEXT, which SQL cannot add without going through floating point. When
 * the day's committed totals are in memory (the common case) the new total is computed with
 * {@link Money#plus} and written as a value, guarded by the count it expects; otherwise the SQL function
 * {@code dec_add} ({@link DecimalAdd}, the same arithmetic) adds it in one upsert.
 *
 * <p>A window is answered from the coarsest pieces that fit it exactly: whole UTC days from the daily
 * totals, and only the ragged edges (less than a day on either side) from the records.
 *
 * <p><b>The committed totals of whole UTC days and months are kept in memory</b> ({@link CommittedCache}),
 * per (agent, day) and (agent, month): every trade reads its agent's day and month twice (the quota's
 * check outside the unit, the warning check inside it), and SQLite is asked for neither once the entry
 * is known. Once an append is committed, its record is added to the cached entries of its day and month
 * (an entry not cached stays out). A read outside a unit that misses sums on a reader connection and
 * keeps the result. A read inside a unit uses the cache only for a period no unit of the running
 * transaction appended to; otherwise it sums on the writer connection. Only this ledger writes the totals.
 */
public final class SqliteUsageLedger implements UsageLedger {

    /** A cached period of one agent: a day {@code 'YYYY-MM-DD'} or a month {@code 'YYYY-MM'}. */
    private record Key(AgentId agent, String period) {
        @Override
        public int hashCode() {
            return 31 * agent.hashCode() + period.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && agent.equals(k.agent) && period.equals(k.period);
        }
    }

    /** The last period texts made, by first epoch day: every trade asks for the same day and month. */
    private record PeriodText(long epochDay, String day, String month) {
    }

    private static final long SECONDS_PER_DAY = 86_400;
    private static volatile PeriodText lastPeriod = new PeriodText(Long.MIN_VALUE, "", "");

    /** More entries than this and the cache starts over (it is a shortcut, not a copy of the table). */
    static final int CACHE_LIMIT = 20_000;

    private final SqliteAccess db;
    private final SqliteTransactions transactions;
    private final CommittedCache<Key, UsageTotals> committed;

    SqliteUsageLedger(SqliteAccess db, SqliteTransactions transactions) {
        this.db = Objects.requireNonNull(db, "db");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.committed = new CommittedCache<>(transactions, CACHE_LIMIT);
    }

    @Override
    public boolean append(UsageRecord record) {
        Objects.requireNonNull(record, "record");
        String amount = Columns.money(record.amount());
        LocalDate day = LocalDate.ofInstant(record.occurredAt(), ZoneOffset.UTC);
        String agent = record.agentId().value();
        String type = record.type().wireName();
        Key dayKey = new Key(record.agentId(), Columns.day(day));
        Key monthKey = new Key(record.agentId(), Columns.month(YearMonth.from(day)));
        return db.write(h -> {
            int inserted = Jdbc.update(h, INSERT_RECORD, record.eventId(), agent, type, amount,
                    Columns.instant(record.occurredAt()), FlatJson.write(record.metadata()));
            if (inserted == 0) {
                return false;
            }
            addToDay(h, dayKey, record.type(), record.amount(), amount);
            committed.willChange(dayKey, before -> plus(before, record.type(), record.amount()));
            committed.willChange(monthKey, before -> plus(before, record.type(), record.amount()));
            return true;
        });
    }

    /**
     * Adds one record to its day's total row (writer thread). When the day's committed totals are
     * cached and no unit of the running transaction touched them, the new count and amount are
     * computed here and written as values: a plain UPDATE (or INSERT for the type's first record of
     * the day), guarded by the count it expects. Otherwise - or if the guard finds another count - one
     * upsert adds the amount in SQL ({@code dec_add}). Both give the same exact sum ({@link Money#plus}).
     */
    private void addToDay(Handle h, Key dayKey, UsageType type, Money amount, String amountText) {
        String agent = dayKey.agent().value();
        String typeText = type.wireName();
        UsageTotals known = committed.changedInTransaction(dayKey) ? null : committed.get(dayKey);
        if (known != null) {
            UsageTotals.Total total = known.byType().get(type);
            int written = total == null
                    ? Jdbc.update(h, INSERT_DAILY, agent, dayKey.period(), typeText, amountText)
                    : Jdbc.update(h, SET_DAILY, total.count() + 1, Columns.money(total.amount().plus(amount)),
                    agent, dayKey.period(), typeText, total.count());
            if (written == 1) {
                return;
            }
        }
        Jdbc.update(h, ADD_DAILY, agent, dayKey.period(), typeText, amountText);
    }

    /** {@code totals} with one more record of {@code type}; null when {@code totals} is (not cached). */
    private static UsageTotals plus(UsageTotals totals, UsageType type, Money amount) {
        if (totals == null) {
            return null;
        }
        Map<UsageType, UsageTotals.Total> byType = new EnumMap<>(UsageType.class);
        byType.putAll(totals.byType());
        byType.merge(type, new UsageTotals.Total(1, amount), UsageTotals.Total::plus);
        return new UsageTotals(byType);
    }

    /** The cache key when [from, to) is exactly one UTC day or one UTC month, else empty. */
    private static Optional<Key> keyOf(AgentId agentId, Instant from, Instant to) {
        long start = from.getEpochSecond();
        if (from.getNano() != 0 || to.getNano() != 0 || Math.floorMod(start, SECONDS_PER_DAY) != 0) {
            return Optional.empty();
        }
        long epochDay = Math.floorDiv(start, SECONDS_PER_DAY);
        PeriodText text = lastPeriod;
        if (text.epochDay() != epochDay) {
            LocalDate day = LocalDate.ofEpochDay(epochDay);
            text = new PeriodText(epochDay, Columns.day(day), Columns.month(YearMonth.from(day)));
            lastPeriod = text;
        }
        long end = to.getEpochSecond();
        if (end == start + SECONDS_PER_DAY) {
            return Optional.of(new Key(agentId, text.day()));
        }
        LocalDate day = LocalDate.ofEpochDay(epochDay);
        if (day.getDayOfMonth() == 1 && end == day.plusMonths(1).toEpochDay() * SECONDS_PER_DAY) {
            return Optional.of(new Key(agentId, text.month()));
        }
        return Optional.empty();
    }

    private static final String INSERT_RECORD = "INSERT INTO usage_records (event_id, agent_id, type, amount, occurred_at,"
            + " metadata) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";
    /** Adds one record to a day's total row in SQL: the exact decimal sum is {@link DecimalAdd} ({@code dec_add}). */
    private static final String ADD_DAILY = "INSERT INTO usage_daily (agent_id, day, type, count, amount) VALUES (?, ?, ?, 1, ?)"
            + " ON CONFLICT (agent_id, day, type)"
            + " DO UPDATE SET count = count + 1, amount = " + DecimalAdd.NAME + "(amount, excluded.amount)";
    /** The type's first record of the day, when the cache says the row does not exist yet. */
    private static final String INSERT_DAILY = "INSERT INTO usage_daily (agent_id, day, type, count, amount) VALUES (?, ?, ?, 1, ?)"
            + " ON CONFLICT (agent_id, day, type) DO NOTHING";
    /** The row's new count and amount, computed from the cached totals; only if its count is still the cached one. */
    private static final String SET_DAILY = "UPDATE usage_daily SET count = ?, amount = ?"
            + " WHERE agent_id = ? AND day = ? AND type = ? AND count = ?";

    @Override
    public UsageTotals totals(AgentId agentId, Instant from, Instant to) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            return UsageTotals.empty();
        }
        Optional<Key> key = keyOf(agentId, from, to);
        if (transactions.onWriterThread()) {
            if (key.isPresent() && !committed.changedInTransaction(key.get())) {
                // no unit of this transaction appended to it: the writer sees the committed totals
                UsageTotals known = committed.get(key.get());
                if (known != null) {
                    return known;
                }
            }
            return sumOf(agentId, from, to);
        }
        if (key.isEmpty()) {
            return sumOf(agentId, from, to);
        }
        UsageTotals known = committed.get(key.get());
        if (known != null) {
            return known;
        }
        long version = committed.version();
        UsageTotals read = sumOf(agentId, from, to);
        committed.remember(key.get(), read, version);
        return read;
    }

    private UsageTotals sumOf(AgentId agentId, Instant from, Instant to) {
        Map<AgentId, UsageTotals> totals = db.read(h -> sum(h, Optional.of(agentId), from, to));
        return totals.getOrDefault(agentId, UsageTotals.empty());
    }

    @Override
    public Map<AgentId, UsageTotals> totalsByAgent(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            return Map.of();
        }
        return Map.copyOf(db.read(h -> sum(h, Optional.empty(), from, to)));
    }

    /**
     * The pieces of the window joined by {@code UNION ALL}: ONE statement, so it reads one committed
     * state without a read transaction around it.
     */
    private static Map<AgentId, UsageTotals> sum(Handle h, Optional<AgentId> agent, Instant from, Instant to) {
        List<Piece> pieces = split(from, to);
        StringBuilder sql = new StringBuilder(128 * pieces.size());
        List<Object> args = new ArrayList<>(3 * pieces.size());
        for (Piece piece : pieces) {
            if (!args.isEmpty()) {
                sql.append(" UNION ALL ");
            }
            sql.append(piece.select()).append(" WHERE ").append(piece.column()).append(" >= ? AND ")
                    .append(piece.column()).append(" < ?");
            args.add(piece.fromKey());
            args.add(piece.toKey());
            if (agent.isPresent()) {
                sql.append(" AND agent_id = ?");
                args.add(agent.get().value());
            }
        }
        Sums sums = new Sums();
        Jdbc.list(h, sql.toString(), sums::add, args.toArray());
        return sums.totals();
    }

    // ------------------------------------------------------------------ windows

    /**
     * A part of a window, answered by one query of the same shape over the raw records or the daily
     * totals: {@code select WHERE column >= from AND column < to [AND agent]}.
     */
    sealed interface Piece permits Records, Days {
        String select();

        String column();

        String fromKey();

        String toKey();
    }

    /** [from, to) from the records themselves. */
    record Records(Instant from, Instant to) implements Piece {
        public String select() {
            return "SELECT agent_id, type, 1 AS count, amount FROM usage_records";
        }

        public String column() {
            return "occurred_at";
        }

        public String fromKey() {
            return Columns.instant(from);
        }

        public String toKey() {
            return Columns.instant(to);
        }
    }

    /** Whole UTC days [from, to) from the daily totals. */
    record Days(LocalDate from, LocalDate to) implements Piece {
        public String select() {
            return "SELECT agent_id, type, count, amount FROM usage_daily";
        }

        public String column() {
            return "day";
        }

        public String fromKey() {
            return Columns.day(from);
        }

        public String toKey() {
            return Columns.day(to);
        }
    }

    /**
     * Splits [from, to) into record edges and the whole days inside the window. Package-private for
     * its tests.
     */
    static List<Piece> split(Instant from, Instant to) {
        List<Piece> pieces = new ArrayList<>(3);
        Instant firstMidnight = from.truncatedTo(ChronoUnit.DAYS);
        if (firstMidnight.isBefore(from)) {
            firstMidnight = firstMidnight.plus(1, ChronoUnit.DAYS);
        }
        Instant lastMidnight = to.truncatedTo(ChronoUnit.DAYS);
        if (!firstMidnight.isBefore(lastMidnight)) {
            pieces.add(new Records(from, to));
            return pieces;
        }
        if (from.isBefore(firstMidnight)) {
            pieces.add(new Records(from, firstMidnight));
        }
        pieces.add(new Days(LocalDate.ofInstant(firstMidnight, ZoneOffset.UTC),
                LocalDate.ofInstant(lastMidnight, ZoneOffset.UTC)));
        if (lastMidnight.isBefore(to)) {
            pieces.add(new Records(lastMidnight, to));
        }
        return pieces;
    }

    /** Counts and exact amounts per agent and type. */
    static final class Sums {
        private final Map<String, EnumMap<UsageType, long[]>> counts = new HashMap<>();
        private final Map<String, EnumMap<UsageType, BigDecimal>> amounts = new HashMap<>();

        /** Adds one row (agent_id, type, count, amount); a {@link org.jdbi.v3.core.mapper.RowMapper}. */
        Boolean add(ResultSet rs, StatementContext ctx) throws SQLException {
            String agent = rs.getString(1);
            UsageType type = UsageType.parse(rs.getString(2));
            counts.computeIfAbsent(agent, a -> new EnumMap<>(UsageType.class))
                    .computeIfAbsent(type, t -> new long[1])[0] += rs.getLong(3);
            amounts.computeIfAbsent(agent, a -> new EnumMap<>(UsageType.class))
                    .merge(type, new BigDecimal(rs.getString(4)), BigDecimal::add);
            return Boolean.TRUE;
        }

        Map<AgentId, UsageTotals> totals() {
            Map<AgentId, UsageTotals> result = new HashMap<>();
            counts.forEach((agent, byType) -> {
                Map<UsageType, UsageTotals.Total> totals = new EnumMap<>(UsageType.class);
                byType.forEach((type, count) -> totals.put(type,
                        new UsageTotals.Total(count[0], Money.of(amounts.get(agent).get(type), Money.USD))));
                result.put(AgentId.of(agent), new UsageTotals(totals));
            });
            return result;
        }
    }
}
