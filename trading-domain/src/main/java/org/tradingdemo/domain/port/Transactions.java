package org.tradingdemo.domain.port;

import java.util.function.Supplier;

/**
 * The unit of work. Repository calls made inside {@code work} commit together or not at all: an
 * exception thrown by {@code work} rolls everything back and is rethrown. Nested calls join the
 * outer unit.
 */
public interface Transactions {

    <T> T inTransaction(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
