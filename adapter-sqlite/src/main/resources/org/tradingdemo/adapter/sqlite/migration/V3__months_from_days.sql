-- V3: the monthly usage totals go; a month is the sum of its daily totals.
--
-- usage_monthly held, per (agent, UTC month, type), the same sums as the month's usage_daily rows: every
-- usage record paid a second total-row upsert on the single writer for it (measured: ~9 µs of server CPU
-- per trade, and one more page per group commit written to the log). The ledger now reads a month as its
-- days (at most 31 rows per agent and type, kept in memory once read), so the table is no longer written
-- or read. Nothing is lost: usage_daily and usage_records are untouched.
DROP INDEX usage_monthly_month;
DROP TABLE usage_monthly;
