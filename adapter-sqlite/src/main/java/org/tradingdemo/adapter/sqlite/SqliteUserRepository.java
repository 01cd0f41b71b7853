package org.tradingdemo.adapter.sqlite;

import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.UserRepository;

/** Users in the {@code users} table; a UNIQUE index keeps usernames unique. */
public final class SqliteUserRepository implements UserRepository {

    private static final String COLUMNS = "id, username, password_hash, role, created_at";

    static final RowMapper<User> MAPPER = (rs, ctx) -> new User(
            UserId.of(rs.getString("id")),
            rs.getString("username"),
            rs.getString("password_hash"),
            Role.parse(rs.getString("role")),
            Columns.instant(rs.getString("created_at")));

    private final SqliteAccess db;

    SqliteUserRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** @throws IllegalStateException when another user already has the username */
    @Override
    public void save(User user) {
        Objects.requireNonNull(user, "user");
        try {
            db.update(h -> h.createUpdate("INSERT INTO users (" + COLUMNS + ") VALUES (:id, :username, :passwordHash,"
                            + " :role, :createdAt)"
                            + " ON CONFLICT (id) DO UPDATE SET username = excluded.username,"
                            + " password_hash = excluded.password_hash, role = excluded.role, created_at = excluded.created_at")
                    .bind("id", user.id().value())
                    .bind("username", user.username())
                    .bind("passwordHash", user.passwordHash())
                    .bind("role", user.role().wireName())
                    .bind("createdAt", Columns.instant(user.createdAt()))
                    .execute());
        } catch (RuntimeException e) {
            if (SqliteAccess.isUniqueViolation(e)) {
                throw new IllegalStateException("username " + user.username() + " is taken");
            }
            throw e;
        }
    }

    @Override
    public Optional<User> findById(UserId id) {
        Objects.requireNonNull(id, "id");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id.value())
                .map(MAPPER)
                .findOne());
    }

    @Override
    public Optional<User> findByUsername(String username) {
        Objects.requireNonNull(username, "username");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE username = :username")
                .bind("username", username)
                .map(MAPPER)
                .findOne());
    }

    @Override
    public long count() {
        return db.read(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
    }
}
