package org.tradingdemo.adapter.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps the prepared statements of one connection for reuse. Preparing (parsing and planning) was a
 * third of the writer thread's time in profiles; the repositories use a few dozen fixed SQL texts, so
 * after warm-up a statement is only bound and stepped.
 *
 * <p>A statement is checked out while JDBI uses it and checked back in when JDBI closes it, so the same
 * SQL used twice at once (nested) simply gets a second statement. At most {@code capacity} idle
 * statements are kept, least recently used evicted. Not thread-safe: one builder per connection, and a
 * connection is used by one thread at a time.
 */
final class CachingStatementBuilder extends DefaultStatementBuilder {

    private final int capacity;
    private final LinkedHashMap<String, PreparedStatement> idle = new LinkedHashMap<>(64, 0.75f, true);
    /** Statements in use, with the SQL they were prepared from (JDBI's close() names the unparsed SQL). */
    private final Map<Statement, String> checkedOut = new IdentityHashMap<>();

    CachingStatementBuilder(int capacity) {
        this.capacity = capacity;
    }

    static StatementBuilderFactory factory(int capacity) {
        return connection -> new CachingStatementBuilder(capacity);
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
            return super.create(conn, sql, ctx);
        }
        PreparedStatement statement = idle.remove(sql);
        if (statement != null) {
            statement.clearParameters();
            statement.clearBatch();
        } else {
            statement = conn.prepareStatement(sql);
        }
        checkedOut.put(statement, sql);
        return statement;
    }

    /**
     * A statement for {@link Jdbc}, which binds and steps it directly (no JDBI statement objects):
     * the hot paths of a trade. Give it back with {@link #giveBack} once its result set is closed.
     */
    PreparedStatement borrow(Connection conn, String sql) throws SQLException {
        PreparedStatement statement = idle.remove(sql);
        if (statement == null) {
            statement = conn.prepareStatement(sql);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /** Back into the cache (or closed, when the same SQL is already idle or the cache is full). */
    void giveBack(String sql, PreparedStatement statement) throws SQLException {
        if (statement.isClosed()) {
            return;
        }
        if (idle.containsKey(sql)) {
            statement.close();
            return;
        }
        idle.put(sql, statement);
        evictBeyondCapacity();
    }

    private void evictBeyondCapacity() throws SQLException {
        if (idle.size() > capacity) {
            Iterator<Map.Entry<String, PreparedStatement>> eldest = idle.entrySet().iterator();
            PreparedStatement evicted = eldest.next().getValue();
            eldest.remove();
            evicted.close();
        }
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        String preparedSql = checkedOut.remove(stmt);
        if (preparedSql == null || stmt.isClosed() || idle.containsKey(preparedSql)) {
            super.close(conn, sql, stmt);
            return;
        }
        idle.put(preparedSql, (PreparedStatement) stmt);
        evictBeyondCapacity();
    }

    @Override
    public void close(Connection conn) {
        for (PreparedStatement ps : idle.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // the connection is closing anyway
            }
        }
        idle.clear();
        checkedOut.clear();
    }
}
