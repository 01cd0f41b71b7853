package org.tradingdemo.adapter.sqlite;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.port.Outbox;

/**
 * The transactional outbox in the {@code outbox} table. {@link #append} inside a unit of work commits
 * with it; the idempotency key is UNIQUE, so a second message for the same effect is dropped
 * ({@code INSERT ... ON CONFLICT DO NOTHING}). The relay's poll reads the partial index of undelivered
 * rows.
 */
public final class SqliteOutbox implements Outbox {

    private static final String COLUMNS = "id, kind, idempotency_key, payload, created_at, attempts, next_attempt_at,"
            + " delivered_at, last_error";

    static final RowMapper<OutboxMessage> MAPPER = (rs, ctx) -> new OutboxMessage(
            rs.getString("id"),
            rs.getString("kind"),
            rs.getString("idempotency_key"),
            FlatJson.read(rs.getString("payload")),
            Columns.instant(rs.getString("created_at")),
            rs.getInt("attempts"),
            Columns.instant(rs.getString("next_attempt_at")),
            Columns.optionalInstant(rs.getString("delivered_at")),
            Optional.ofNullable(rs.getString("last_error")));

    private static final String VALUES = " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String APPEND = "INSERT INTO outbox (" + COLUMNS + ")" + VALUES + " ON CONFLICT DO NOTHING";
    private static final String SAVE = "INSERT INTO outbox (" + COLUMNS + ")" + VALUES
            + " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, idempotency_key = excluded.idempotency_key,"
            + " payload = excluded.payload, created_at = excluded.created_at, attempts = excluded.attempts,"
            + " next_attempt_at = excluded.next_attempt_at, delivered_at = excluded.delivered_at,"
            + " last_error = excluded.last_error";

    /**
     * A delivery or a failure being recorded: only the delivery columns change, so only they are set
     * (SQLite rewrites the entries of every index whose columns an UPDATE sets, changed or not - setting
     * {@code idempotency_key} again would rewrite its unique index entry). When the stored row differs in
     * any other column, or does not exist, nothing matches and {@link #SAVE} does the whole write.
     */
    private static final String UPDATE = "UPDATE outbox SET attempts = ?, next_attempt_at = ?, delivered_at = ?,"
            + " last_error = ? WHERE id = ? AND kind = ? AND idempotency_key = ? AND payload = ? AND created_at = ?";

    private final SqliteAccess db;

    SqliteOutbox(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** @return false when a message with this idempotency key (or this id) is already stored */
    @Override
    public boolean append(OutboxMessage message) {
        Objects.requireNonNull(message, "message");
        return db.write(h -> Jdbc.update(h, APPEND, values(message)) == 1);
    }

    /**
     * Undelivered messages due at {@code now}, oldest (by creation, then id) first. The partial index of
     * undelivered rows finds the due ones; only those are sorted.
     */
    @Override
    public List<OutboxMessage> due(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox"
                        + " WHERE delivered_at IS NULL AND next_attempt_at <= :now"
                        + " ORDER BY created_at, id LIMIT :limit")
                .bind("now", Columns.instant(now))
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }

    @Override
    public Optional<OutboxMessage> findById(String id) {
        Objects.requireNonNull(id, "id");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne());
    }

    /** @throws IllegalStateException when another message holds the idempotency key */
    @Override
    public void save(OutboxMessage message) {
        Objects.requireNonNull(message, "message");
        try {
            db.update(h -> {
                // usually the row exists (a delivery or failure being recorded): a plain UPDATE is cheaper
                Object[] values = values(message);
                if (Jdbc.update(h, UPDATE, updateValues(values)) == 0) {
                    Jdbc.update(h, SAVE, values);
                }
            });
        } catch (RuntimeException e) {
            if (SqliteAccess.isUniqueViolation(e)) {
                throw new IllegalStateException("outbox message " + message.id() + ": idempotency key "
                        + message.idempotencyKey() + " belongs to another message");
            }
            throw e;
        }
    }

    @Override
    public long countPending() {
        return db.read(h -> h.createQuery("SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
                .mapTo(Long.class)
                .one());
    }

    /** {@link #values} reordered for {@link #UPDATE}: the delivery columns, then the row's identity. */
    private static Object[] updateValues(Object[] v) {
        return new Object[] {v[5], v[6], v[7], v[8], v[0], v[1], v[2], v[3], v[4]};
    }

    private static Object[] values(OutboxMessage m) {
        return new Object[] {
                m.id(),
                m.kind(),
                m.idempotencyKey(),
                FlatJson.write(m.payload()),
                Columns.instant(m.createdAt()),
                m.attempts(),
                Columns.instant(m.nextAttemptAt()),
                Columns.instantOrNull(m.deliveredAt()),
                m.lastError().orElse(null)};
    }
}
