/**
 * In-memory adapters of every driven port: production code, not test doubles. They store the
 * immutable domain records, are thread-safe, take part in one {@link org.tradingdemo.app.inmemory.InMemoryTransactions}
 * unit of work with rollback and read-your-writes, and pass the same port contract tests as the
 * SQLite adapters. Selected with {@code --store memory}.
 */
package org.tradingdemo.app.inmemory;
