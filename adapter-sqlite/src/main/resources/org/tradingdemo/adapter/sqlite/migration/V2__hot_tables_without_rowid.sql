-- V2: the three tables every trade inserts into become WITHOUT ROWID tables keyed by their text id.
--
-- As rowid tables with a TEXT PRIMARY KEY, trades, usage_records and outbox each kept the key twice: the
-- table B-tree (by an internal rowid) plus an automatic unique index on the id, so every insert wrote
-- one B-tree more than needed and a lookup by id walked two. WITHOUT ROWID stores the row in the
-- primary-key B-tree itself. The ids are time-ordered (UUIDv7, or "type:UUIDv7" for usage events), so
-- new rows still land at the right-hand end of the tree and rows stay well under the size where
-- WITHOUT ROWID stops paying (about 1/20 of a page).
--
-- Columns, types and constraints are unchanged, and so are the indexes but one (see usage_records).
-- Every row is copied. Nothing references these tables by foreign key, so they are rebuilt in place
-- (create, copy, drop, rename).

CREATE TABLE trades_v2 (
    id                TEXT NOT NULL PRIMARY KEY,
    agent_id          TEXT NOT NULL,
    client_order_id   TEXT,
    symbol            TEXT NOT NULL,
    side              TEXT NOT NULL,
    quantity          TEXT NOT NULL,
    price             TEXT NOT NULL,
    type              TEXT NOT NULL,
    status            TEXT NOT NULL,
    amount            TEXT NOT NULL,
    submitted_at      TEXT NOT NULL,
    executed_at       TEXT,
    cancelled_at      TEXT,
    reason            TEXT,
    quota_reservation TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO trades_v2 (id, agent_id, client_order_id, symbol, side, quantity, price, type, status, amount,
                       submitted_at, executed_at, cancelled_at, reason, quota_reservation)
SELECT id, agent_id, client_order_id, symbol, side, quantity, price, type, status, amount,
       submitted_at, executed_at, cancelled_at, reason, quota_reservation
FROM trades;
DROP TABLE trades;
ALTER TABLE trades_v2 RENAME TO trades;
CREATE UNIQUE INDEX trades_client_order_id ON trades (agent_id, client_order_id) WHERE client_order_id IS NOT NULL;
CREATE INDEX trades_agent_newest ON trades (agent_id, submitted_at DESC, id DESC);
CREATE INDEX trades_agent_open ON trades (agent_id, submitted_at, id) WHERE status IN ('pending', 'pending_approval');

CREATE TABLE usage_records_v2 (
    event_id    TEXT NOT NULL PRIMARY KEY,
    agent_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    amount      TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    metadata    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO usage_records_v2 (event_id, agent_id, type, amount, occurred_at, metadata)
SELECT event_id, agent_id, type, amount, occurred_at, metadata
FROM usage_records;
DROP TABLE usage_records;
ALTER TABLE usage_records_v2 RENAME TO usage_records;
-- usage_records_agent_time (agent_id, occurred_at) is not recreated: the quota and the usage reports
-- of one agent read whole days and months from the totals, and the only windows that reach the
-- records (the ragged edges of the cost report's arbitrary range) are across all agents. A window of
-- one agent with ragged edges still works, over usage_records_time (less than a day at each end).
-- Keeping it cost every trade an insert into a B-tree ordered by agent, one more page per trade of a
-- batch written to the log.
CREATE INDEX usage_records_time ON usage_records (occurred_at);

CREATE TABLE outbox_v2 (
    id              TEXT    NOT NULL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    payload         TEXT    NOT NULL, -- a flat JSON object of strings
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    last_error      TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO outbox_v2 (id, kind, idempotency_key, payload, created_at, attempts, next_attempt_at, delivered_at,
                       last_error)
SELECT id, kind, idempotency_key, payload, created_at, attempts, next_attempt_at, delivered_at, last_error
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE UNIQUE INDEX outbox_idempotency_key ON outbox (idempotency_key);
-- the relay's poll and countPending read only the undelivered rows
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
