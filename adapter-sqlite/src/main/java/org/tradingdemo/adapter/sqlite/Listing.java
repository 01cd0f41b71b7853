package org.tradingdemo.adapter.sqlite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;

/**
 * One keyset page of a newest-first list: {@code WHERE <filters> AND (time, id) < (:at, :id)
 * ORDER BY time DESC, id DESC LIMIT n + 1}. The row after the page only says whether a next page
 * exists. Filters are appended only when present, every value is a bound parameter.
 */
final class Listing {

    private final String timeColumn;
    private final StringBuilder sql;
    private final List<Consumer<Query>> binders = new ArrayList<>();
    private boolean hasWhere;

    /** @param select {@code SELECT <columns> FROM <table>} */
    Listing(String select, String timeColumn) {
        this.sql = new StringBuilder(select);
        this.timeColumn = timeColumn;
    }

    /** Adds {@code condition} when the value is present, binding it as {@code :name}. */
    Listing where(String condition, String name, Optional<?> value) {
        value.ifPresent(v -> where(condition, name, v));
        return this;
    }

    Listing where(String condition, String name, Object value) {
        where(condition);
        binders.add(q -> q.bind(name, value));
        return this;
    }

    Listing where(String condition) {
        sql.append(hasWhere ? " AND " : " WHERE ").append(condition);
        hasWhere = true;
        return this;
    }

    /** Adds a condition holding {@code <name>}, expanded to one bound parameter per value. */
    Listing whereIn(String condition, String name, Collection<String> values) {
        where(condition);
        List<String> copy = List.copyOf(values);
        binders.add(q -> q.bindList(name, copy));
        return this;
    }

    <T> Page<T> page(Handle h, PageRequest request, RowMapper<T> mapper, Function<T, PageCursor> cursorOf) {
        request.after().ifPresent(c -> where("(" + timeColumn + ", id) < (:cursorAt, :cursorId)")
                .bindCursor(c));
        sql.append(" ORDER BY ").append(timeColumn).append(" DESC, id DESC LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("limit", request.limit() + 1);
        binders.forEach(b -> b.accept(q));
        List<T> rows = q.map(mapper).list();
        return page(rows, request.limit(), cursorOf);
    }

    private void bindCursor(PageCursor c) {
        String at = Columns.instant(c.at());
        binders.add(q -> q.bind("cursorAt", at).bind("cursorId", c.id()));
    }

    static <T> Page<T> page(List<T> rows, int limit, Function<T, PageCursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty());
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.get(limit - 1))));
    }
}
