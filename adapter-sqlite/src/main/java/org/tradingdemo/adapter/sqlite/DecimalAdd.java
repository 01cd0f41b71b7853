package org.tradingdemo.adapter.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.Function;
import org.tradingdemo.domain.model.Money;

/**
 * SQL function {@code dec_add(a, b)}: the exact sum of two USD amounts stored as decimal TEXT, as
 * {@link Columns#money} writes it ({@code '1500.00'}). SQL's own {@code +} goes through floating point,
 * so without this the usage totals were read, added in Java and written back: two statements more per
 * usage record on the single writer. The sum is {@link Money#plus}, the same arithmetic as before.
 *
 * <p>Registered on the writer connection only (the totals are written there); a NULL argument or text
 * that is not an amount fails the statement.
 */
final class DecimalAdd extends Function {

    static final String NAME = "dec_add";

    private DecimalAdd() {
    }

    static void register(Connection writer) throws SQLException {
        Function.create(writer, NAME, new DecimalAdd(), 2, Function.FLAG_DETERMINISTIC);
    }

    @Override
    protected void xFunc() throws SQLException {
        String a = value_text(0);
        String b = value_text(1);
        if (a == null || b == null) {
            error(NAME + ": NULL amount");
            return;
        }
        try {
            result(Columns.money(Columns.money(a).plus(Columns.money(b))));
        } catch (RuntimeException e) {
            error(NAME + ": not an amount");
        }
    }
}
