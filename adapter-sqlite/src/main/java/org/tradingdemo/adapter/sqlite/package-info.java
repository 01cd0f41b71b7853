/**
 * The SQLite adapter of every persistence port: {@link org.tradingdemo.adapter.sqlite.SqliteStore} opens a
 * file, migrates it and hands out the repositories, the usage ledger, the outbox and the unit of work
 * ({@link org.tradingdemo.adapter.sqlite.SqliteTransactions}: one writer thread, group commit). Depends on
 * the domain, JDBI and the SQLite driver only. See {@code adapter-sqlite/README.md}.
 */
package org.tradingdemo.adapter.sqlite;
