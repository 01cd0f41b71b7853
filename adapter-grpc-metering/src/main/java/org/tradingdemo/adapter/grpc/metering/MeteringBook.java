package org.tradingdemo.adapter.grpc.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.policy.QuotaPolicy;

/**
 * The state of the reference metering server, in memory and thread-safe: per agent the usage
 * committed in each UTC day and month, the open reservations, and the recorded events.
 *
 * <p>Semantics follow the in-process {@code LocalQuota}: a window's usage is what was committed in
 * it plus every open reservation of the agent (whatever day it was taken); a reservation is allowed
 * when {@code used + amount ≤ limit} in both the daily and the monthly window, checked and taken
 * under the agent's lock, so concurrent reservations never exceed a limit together. Committed usage
 * is booked in the windows containing the moment of the commit.
 *
 * <p>Quota usage (reservations, commits) and recorded events are separate books: a
 * {@code trade_executed} event does not count towards the quota (the committed reservation
 * does), so a caller that both commits and records the trade is not counted twice.
 *
 * <p>Invalid input is refused with {@link IllegalArgumentException}. Nothing is ever evicted: this is
 * a stand-in for creto-metering in demos and tests, not a durable ledger.
 */
public final class MeteringBook {

    /** The outcome of a reservation request; {@code window} is the one that decided. */
    public record Decision(boolean allowed, Optional<String> reservationId, QuotaCheck check, UsagePeriod.Window window) {
        public Decision {
            Objects.requireNonNull(reservationId, "reservationId");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(window, "window");
        }
    }

    /** Where an agent stands in one window, open reservations included. */
    public record Standing(UsagePeriod.Window window, Money used, Money limit) {
        public Money remaining() {
            return limit.minus(used).max(Money.zero(limit.currency()));
        }
    }

    public enum Completion { COMPLETED, ALREADY_COMPLETED, UNKNOWN_RESERVATION }

    /** A metered event as recorded; {@code type} is free text ({@code trade_executed}, {@code api_call}, …). */
    public record Event(String eventId, AgentId agentId, String type, Money amount, Instant occurredAt,
                        Map<String, String> metadata) {
        public Event {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(occurredAt, "occurredAt");
            metadata = Map.copyOf(metadata);
        }
    }

    /** Count and sum of the events of one type (and currency) over a window. */
    public record TypeTotal(String type, long count, Money amount) {
    }

    private record AccountKey(AgentId agentId, Currency currency) {
    }

    /** One agent's quota state in one currency; guarded by its own monitor. */
    private static final class Account {
        private final Currency currency;
        private Money reserved;
        // keyed by the whole window: on the 1st of a month the day and the month start at the same instant
        private final Map<UsagePeriod.Window, Money> committedByWindow = new HashMap<>();

        Account(Currency currency) {
            this.currency = currency;
            this.reserved = Money.zero(currency);
        }

        Money committedIn(UsagePeriod.Window window) {
            return committedByWindow.getOrDefault(window, Money.zero(currency));
        }

        Money used(UsagePeriod.Window window) {
            return committedIn(window).plus(reserved);
        }
    }

    private enum State { OPEN, COMMITTED, RELEASED }

    private static final class Held {
        final String id;
        final AccountKey account;
        final Money amount;
        final Decision decision;
        State state = State.OPEN; // guarded by the account's monitor

        Held(String id, AccountKey account, Money amount, Decision decision) {
            this.id = id;
            this.account = account;
            this.amount = amount;
            this.decision = decision;
        }
    }

    private final Clock clock;
    private final Map<AccountKey, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Held> reservationsById = new ConcurrentHashMap<>();
    private final Map<String, Held> reservationsByKey = new ConcurrentHashMap<>();
    private final Map<String, Event> eventsById = new ConcurrentHashMap<>();
    private final Map<AgentId, List<Event>> eventsByAgent = new ConcurrentHashMap<>();

    public MeteringBook(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Clock clock() {
        return clock;
    }

    /** Would {@code amount} fit now? Reserves nothing. */
    public Decision check(AgentId agentId, Money amount, QuotaLimits limits) {
        requireAmount(amount, limits);
        Account account = account(agentId, amount.currency());
        synchronized (account) {
            return decide(account, amount, limits, clock.instant(), Optional.empty());
        }
    }

    /**
     * Reserves {@code amount} if it fits in both windows. The same {@code idempotencyKey} reserves at
     * most once: a repeat answers the original decision (denials are not remembered, so a key that
     * was denied may be granted later). Reusing a key for another agent or amount is refused.
     *
     * <p>The returned check shows the windows as the decision saw them, before this reservation.
     */
    public Decision reserve(AgentId agentId, Money amount, QuotaLimits limits, String idempotencyKey) {
        requireAmount(amount, limits);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        AccountKey key = new AccountKey(agentId, amount.currency());
        Account account = account(agentId, amount.currency());
        synchronized (account) {
            Held existing = reservationsByKey.get(idempotencyKey);
            if (existing != null) {
                return replay(existing, key, amount, idempotencyKey);
            }
            String id = "res-" + UUID.randomUUID();
            Decision decision = decide(account, amount, limits, clock.instant(), Optional.of(id));
            if (!decision.allowed()) {
                return decision;
            }
            Held held = new Held(id, key, amount, decision);
            Held raced = reservationsByKey.putIfAbsent(idempotencyKey, held);
            if (raced != null) {
                // the same key, concurrently, under another account's lock (other agent or currency)
                return replay(raced, key, amount, idempotencyKey);
            }
            reservationsById.put(id, held);
            account.reserved = account.reserved.plus(amount);
            return decision;
        }
    }

    /** Commits (the reserved amount becomes usage now) or releases a reservation; idempotent. */
    public Completion complete(String reservationId, boolean commit) {
        Held held = reservationsById.get(Objects.requireNonNull(reservationId, "reservationId"));
        if (held == null) {
            return Completion.UNKNOWN_RESERVATION;
        }
        Account account = accounts.get(held.account);
        synchronized (account) {
            if (held.state != State.OPEN) {
                return Completion.ALREADY_COMPLETED;
            }
            account.reserved = account.reserved.minus(held.amount);
            if (commit) {
                Instant now = clock.instant();
                for (UsagePeriod period : UsagePeriod.values()) {
                    account.committedByWindow.merge(period.windowAt(now), held.amount, Money::plus);
                }
                held.state = State.COMMITTED;
            } else {
                held.state = State.RELEASED;
            }
            return Completion.COMPLETED;
        }
    }

    /**
     * Sets what the agent has already used in a window - for an embedded server that starts again
     * next to a durable usage ledger, so a restart does not hand every agent a fresh quota. Only
     * raises the figure (a restore never forgets usage counted since the start).
     */
    public void restoreCommitted(AgentId agentId, UsagePeriod.Window window, Money used) {
        Account account = account(agentId, used.currency());
        synchronized (account) {
            account.committedByWindow.merge(window, used, Money::max);
        }
    }

    /**
     * Re-creates an open reservation a caller still holds (a trade awaiting approval) after this
     * book was lost, so its later commit or release is counted. A known id is left as it is.
     */
    public void restoreReservation(String reservationId, AgentId agentId, Money amount, String idempotencyKey) {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        AccountKey key = new AccountKey(agentId, amount.currency());
        Account account = account(agentId, amount.currency());
        synchronized (account) {
            if (reservationsById.containsKey(reservationId) || reservationsByKey.containsKey(idempotencyKey)) {
                return;
            }
            UsagePeriod.Window day = UsagePeriod.DAILY.windowAt(clock.instant());
            QuotaCheck seen = new QuotaCheck(true, UsagePeriod.DAILY, account.used(day), Money.zero(amount.currency()),
                    account.used(day).plus(amount), day.resetAt());
            Held held = new Held(reservationId, key, amount, new Decision(true, Optional.of(reservationId), seen, day));
            reservationsById.put(reservationId, held);
            reservationsByKey.put(idempotencyKey, held);
            account.reserved = account.reserved.plus(amount);
        }
    }

    /** The agent's standing in the current window of {@code period}; {@code limit}'s currency selects the account. */
    public Standing standing(AgentId agentId, UsagePeriod period, Money limit) {
        Objects.requireNonNull(period, "period");
        if (!limit.isPositive()) {
            throw new IllegalArgumentException("limit must be greater than 0");
        }
        UsagePeriod.Window window = period.windowAt(clock.instant());
        Account account = accounts.get(new AccountKey(agentId, limit.currency()));
        if (account == null) {
            return new Standing(window, Money.zero(limit.currency()), limit);
        }
        synchronized (account) {
            return new Standing(window, account.used(window), limit);
        }
    }

    /** Records an event once per event id. @return false for a duplicate (the first one stands) */
    public boolean record(Event event) {
        if (event.amount().isNegative()) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        if (eventsById.putIfAbsent(event.eventId(), event) != null) {
            return false;
        }
        eventsByAgent.computeIfAbsent(event.agentId(), a -> new CopyOnWriteArrayList<>()).add(event);
        return true;
    }

    /** Totals per event type (and currency) of the agent's events that occurred in [from, to), ordered by type. */
    public List<TypeTotal> usage(AgentId agentId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        Map<String, TypeTotal> totals = new HashMap<>();
        for (Event e : eventsByAgent.getOrDefault(agentId, List.of())) {
            if (!e.occurredAt().isBefore(from) && e.occurredAt().isBefore(to)) {
                totals.merge(e.type() + '\u0000' + e.amount().currency().getCurrencyCode(),
                        new TypeTotal(e.type(), 1, e.amount()),
                        (a, b) -> new TypeTotal(a.type(), a.count() + b.count(), a.amount().plus(b.amount())));
            }
        }
        List<TypeTotal> sorted = new ArrayList<>(totals.values());
        sorted.sort(Comparator.comparing(TypeTotal::type)
                .thenComparing(t -> t.amount().currency().getCurrencyCode()));
        return sorted;
    }

    /** Open reservations, for diagnostics and tests. */
    public int openReservations() {
        int open = 0;
        for (Held held : reservationsById.values()) {
            synchronized (accounts.get(held.account)) {
                open += held.state == State.OPEN ? 1 : 0;
            }
        }
        return open;
    }

    private Decision replay(Held existing, AccountKey key, Money amount, String idempotencyKey) {
        if (!existing.account.equals(key) || !existing.amount.equals(amount)) {
            throw new IllegalArgumentException("idempotency_key " + idempotencyKey
                    + " was already used for another reservation (different agent or amount)");
        }
        return existing.decision;
    }

    private static Decision decide(Account account, Money amount, QuotaLimits limits, Instant now, Optional<String> id) {
        UsagePeriod.Window day = UsagePeriod.DAILY.windowAt(now);
        UsagePeriod.Window month = UsagePeriod.MONTHLY.windowAt(now);
        QuotaCheck daily = QuotaPolicy.check(day, account.used(day), amount, limits.daily());
        QuotaCheck monthly = QuotaPolicy.check(month, account.used(month), amount, limits.monthly());
        QuotaCheck decided = QuotaPolicy.tighter(daily, monthly);
        UsagePeriod.Window window = decided.period() == UsagePeriod.DAILY ? day : month;
        return new Decision(decided.allowed(), decided.allowed() ? id : Optional.empty(), decided, window);
    }

    private static void requireAmount(Money amount, QuotaLimits limits) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(limits, "limits");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount must be greater than 0");
        }
        if (!amount.currency().equals(limits.daily().currency()) || !amount.currency().equals(limits.monthly().currency())) {
            throw new IllegalArgumentException("amount and limits must be in the same currency");
        }
    }

    private Account account(AgentId agentId, Currency currency) {
        return accounts.computeIfAbsent(new AccountKey(agentId, currency), k -> new Account(currency));
    }
}
