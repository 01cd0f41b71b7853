package org.tradingdemo.adapter.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The statements of the trade path, run on the JDBC connection of a JDBI {@link Handle} with
 * positional parameters and the handle's cached prepared statements ({@link CachingStatementBuilder}).
 *
 * <p>JDBI's statement objects cost more than SQLite itself for the short statements of a trade
 * (configuration copies per statement, named-parameter parsing and binding, result producers): on the
 * single writer thread that cost is paid serially by every trade. The handle, its connection and its
 * statement cache stay JDBI's; only binding and stepping are done here. Row mappers are the
 * repositories' JDBI {@link RowMapper}s (they never use the statement context, which is null here).
 *
 * <p>A failing statement becomes a {@link SqliteStoreException} naming the SQL but never the bound
 * values, with the driver's exception as the cause ({@link SqliteAccess#isUniqueViolation} reads it).
 */
final class Jdbc {

    private Jdbc() {
    }

    /** INSERT / UPDATE / DELETE / transaction control: the number of rows changed. */
    static int update(Handle h, String sql, Object... args) {
        CachingStatementBuilder cache = cache(h);
        PreparedStatement ps = null;
        try {
            ps = cache.borrow(h.getConnection(), sql);
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(sql, e);
        } finally {
            giveBack(cache, sql, ps);
        }
    }

    /** At most one row ({@link IllegalStateException} for more, as JDBI's {@code findOne}). */
    static <T> Optional<T> one(Handle h, String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = list(h, sql, mapper, args);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row, got " + rows.size() + " [statement: "
                    + compact(sql) + "]");
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static <T> List<T> list(Handle h, String sql, RowMapper<T> mapper, Object... args) {
        CachingStatementBuilder cache = cache(h);
        PreparedStatement ps = null;
        try {
            ps = cache.borrow(h.getConnection(), sql);
            bind(ps, args);
            List<T> rows = new ArrayList<>(4);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs, null));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure(sql, e);
        } finally {
            giveBack(cache, sql, ps);
        }
    }

    private static CachingStatementBuilder cache(Handle h) {
        return (CachingStatementBuilder) h.getStatementBuilder();
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                ps.setLong(i + 1, n);
            } else {
                throw new IllegalArgumentException("cannot bind a " + a.getClass().getName());
            }
        }
    }

    private static void giveBack(CachingStatementBuilder cache, String sql, PreparedStatement ps) {
        if (ps == null) {
            return;
        }
        try {
            cache.giveBack(sql, ps);
        } catch (SQLException e) {
            // closing a statement we no longer want: nothing to do about it
        }
    }

    private static SqliteStoreException failure(String sql, SQLException e) {
        return new SqliteStoreException(SqliteTransactions.oneLine(e) + " [statement: " + compact(sql) + "]", e);
    }

    private static String compact(String sql) {
        String c = sql.replaceAll("\\s+", " ").strip();
        return c.length() <= 160 ? c : c.substring(0, 160) + "...";
    }
}
