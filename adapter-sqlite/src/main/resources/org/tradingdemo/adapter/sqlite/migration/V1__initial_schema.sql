-- V1: every table of the Trading Demo store.
--
-- Conventions (see adapter-sqlite/README.md):
--   * money, quantities and prices are exact decimal TEXT (BigDecimal.toPlainString), never REAL;
--     money is USD at two decimals ('1500.00'), quantities and prices carry no trailing zeros ('0.1');
--   * instants are fixed-width ISO-8601 UTC TEXT with nine fractional digits
--     ('2031-03-14T10:15:30.000000000Z'), so text order is time order;
--   * ids and every other text compare with the default BINARY collation, the order of
--     String.compareTo for these ASCII values (what PageCursor.precedes uses);
--   * lists are newest first by (time, id): each has an index (..., time DESC, id DESC) so a keyset
--     page is one index seek plus a short walk.
-- STRICT tables refuse a value of the wrong storage class instead of silently converting it.

CREATE TABLE agents (
    id                TEXT NOT NULL PRIMARY KEY,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    budget            TEXT NOT NULL,
    strategy          TEXT NOT NULL,
    risk_tolerance    TEXT NOT NULL,
    max_position_size TEXT,
    user_id           TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX agents_newest ON agents (created_at DESC, id DESC);
CREATE INDEX agents_owner_newest ON agents (user_id, created_at DESC, id DESC);

CREATE TABLE trades (
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
) STRICT;
CREATE UNIQUE INDEX trades_client_order_id ON trades (agent_id, client_order_id) WHERE client_order_id IS NOT NULL;
CREATE INDEX trades_agent_newest ON trades (agent_id, submitted_at DESC, id DESC);
CREATE INDEX trades_agent_open ON trades (agent_id, submitted_at, id) WHERE status IN ('pending', 'pending_approval');

CREATE TABLE portfolios (
    agent_id     TEXT NOT NULL PRIMARY KEY,
    cash         TEXT NOT NULL,
    realized_pnl TEXT NOT NULL
) STRICT;

CREATE TABLE portfolio_positions (
    agent_id   TEXT NOT NULL REFERENCES portfolios (agent_id) ON DELETE CASCADE,
    symbol     TEXT NOT NULL,
    quantity   TEXT NOT NULL,
    cost_basis TEXT NOT NULL,
    last_price TEXT NOT NULL,
    PRIMARY KEY (agent_id, symbol)
) STRICT, WITHOUT ROWID;

CREATE TABLE portfolio_reservations (
    agent_id TEXT NOT NULL REFERENCES portfolios (agent_id) ON DELETE CASCADE,
    trade_id TEXT NOT NULL,
    side     TEXT NOT NULL,
    symbol   TEXT NOT NULL,
    cash     TEXT NOT NULL,
    quantity TEXT,
    PRIMARY KEY (agent_id, trade_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE oversight_requests (
    id           TEXT NOT NULL PRIMARY KEY,
    agent_id     TEXT NOT NULL,
    trade_id     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    risk_level   TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    processed_at TEXT,
    processed_by TEXT,
    comment      TEXT
) STRICT;
CREATE UNIQUE INDEX oversight_requests_one_per_trade ON oversight_requests (trade_id);
CREATE INDEX oversight_requests_newest ON oversight_requests (created_at DESC, id DESC);
CREATE INDEX oversight_requests_status_newest ON oversight_requests (status, created_at DESC, id DESC);
CREATE INDEX oversight_requests_agent_newest ON oversight_requests (agent_id, created_at DESC, id DESC);
-- the expiry sweep and countPending read only this small index
CREATE INDEX oversight_requests_pending_deadline ON oversight_requests (expires_at, id) WHERE status = 'pending';

CREATE TABLE usage_records (
    event_id    TEXT NOT NULL PRIMARY KEY,
    agent_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    amount      TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    metadata    TEXT NOT NULL
) STRICT;
CREATE INDEX usage_records_agent_time ON usage_records (agent_id, occurred_at);
CREATE INDEX usage_records_time ON usage_records (occurred_at);

-- Totals per (agent, UTC day, type) and (agent, UTC month, type), kept in the transaction that
-- appends the record: the quota's day and month windows read one row per type. Amounts stay exact
-- decimal TEXT, so the adapter adds them with BigDecimal on the single writer connection.
CREATE TABLE usage_daily (
    agent_id TEXT    NOT NULL,
    day      TEXT    NOT NULL, -- 'YYYY-MM-DD' (UTC)
    type     TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    amount   TEXT    NOT NULL,
    PRIMARY KEY (agent_id, day, type)
) STRICT, WITHOUT ROWID;
CREATE INDEX usage_daily_day ON usage_daily (day);

CREATE TABLE usage_monthly (
    agent_id TEXT    NOT NULL,
    month    TEXT    NOT NULL, -- 'YYYY-MM' (UTC)
    type     TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    amount   TEXT    NOT NULL,
    PRIMARY KEY (agent_id, month, type)
) STRICT, WITHOUT ROWID;
CREATE INDEX usage_monthly_month ON usage_monthly (month);

CREATE TABLE alerts (
    id              TEXT NOT NULL PRIMARY KEY,
    severity        TEXT NOT NULL,
    type            TEXT NOT NULL,
    message         TEXT NOT NULL,
    agent_id        TEXT,
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
) STRICT;
CREATE INDEX alerts_newest ON alerts (created_at DESC, id DESC);
CREATE INDEX alerts_agent_newest ON alerts (agent_id, created_at DESC, id DESC);

CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE outbox (
    id              TEXT    NOT NULL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    payload         TEXT    NOT NULL, -- a flat JSON object of strings
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    last_error      TEXT
) STRICT;
CREATE UNIQUE INDEX outbox_idempotency_key ON outbox (idempotency_key);
-- the relay's poll and countPending read only the undelivered rows
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
