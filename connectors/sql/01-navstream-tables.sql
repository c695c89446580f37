-- Tables that the Kafka Connect sinks in connectors/config/ write into, for dashboards.
--
-- The sinks run with schema.evolution=none, so these definitions are the schema: Debezium's JDBC
-- sink would create TIMESTAMP (without time zone) columns and its own NUMERIC precision. Here every
-- time is TIMESTAMPTZ (an instant) and every decimal is NUMERIC(38, 18), the Avro contract's
-- decimal(38, 18): navstream's values land digit for digit, nothing is rounded.
--
-- Tables are created unqualified, in the first schema of the search_path (public, as the postgres
-- image runs this file at first start). Column names are the Avro field names in snake_case; the
-- connectors rename them with ReplaceField. IF NOT EXISTS: safe to run again.

-- Connector nav-latest, topic nav-updates: one row per fund, upserted by fund_id, so it always holds
-- the fund's newest NAV (a "current NAV" panel reads this).
CREATE TABLE IF NOT EXISTS nav_latest (
  fund_id            TEXT           NOT NULL PRIMARY KEY,
  underlying         TEXT           NOT NULL,
  event_time         TIMESTAMPTZ    NOT NULL,
  price              NUMERIC(38, 18) NOT NULL,
  nav                NUMERIC(38, 18) NOT NULL,
  leverage           NUMERIC(38, 18) NOT NULL,
  equity             NUMERIC(38, 18) NOT NULL,
  shares             NUMERIC(38, 18) NOT NULL,
  position_quantity  NUMERIC(38, 18) NOT NULL,
  cash               NUMERIC(38, 18) NOT NULL,
  status             TEXT           NOT NULL,
  -- Since the fund lifecycle: shares per original share, and NAV in original shares (continuous
  -- through splits and merges). Null in rows written from older records.
  adjustment_factor  NUMERIC(38, 18),
  adjusted_nav       NUMERIC(38, 18)
);
-- A database created before the fund lifecycle gets the two columns too.
ALTER TABLE nav_latest ADD COLUMN IF NOT EXISTS adjustment_factor NUMERIC(38, 18);
ALTER TABLE nav_latest ADD COLUMN IF NOT EXISTS adjusted_nav NUMERIC(38, 18);

-- Connector nav-history, topic nav-candles: one row per fund per closed 1-minute window (a row per
-- tick per fund would swamp the database). minute is the window's start.
CREATE TABLE IF NOT EXISTS nav_history (
  fund_id     TEXT           NOT NULL,
  minute      TIMESTAMPTZ    NOT NULL,
  window_end  TIMESTAMPTZ    NOT NULL,
  underlying  TEXT           NOT NULL,
  open        NUMERIC(38, 18) NOT NULL,
  high        NUMERIC(38, 18) NOT NULL,
  low         NUMERIC(38, 18) NOT NULL,
  close       NUMERIC(38, 18) NOT NULL,
  leverage    NUMERIC(38, 18) NOT NULL,
  updates     BIGINT         NOT NULL,
  PRIMARY KEY (fund_id, minute)
);

-- Connector rebalances, topic rebalance-instructions: one row per instruction. instruction_id
-- (<fundId>-<sequence>) is deterministic, so a redelivered instruction updates its own row instead
-- of adding one.
CREATE TABLE IF NOT EXISTS rebalances (
  instruction_id   TEXT           NOT NULL PRIMARY KEY,
  sequence         BIGINT         NOT NULL,
  fund_id          TEXT           NOT NULL,
  underlying       TEXT           NOT NULL,
  event_time       TIMESTAMPTZ    NOT NULL,
  reason           TEXT           NOT NULL,
  price            NUMERIC(38, 18) NOT NULL,
  nav_before       NUMERIC(38, 18) NOT NULL,
  leverage_before  NUMERIC(38, 18) NOT NULL,
  leverage_after   NUMERIC(38, 18) NOT NULL,
  from_quantity    NUMERIC(38, 18) NOT NULL,
  to_quantity      NUMERIC(38, 18) NOT NULL,
  delta_quantity   NUMERIC(38, 18) NOT NULL,
  side             TEXT           NOT NULL,
  notional         NUMERIC(38, 18) NOT NULL,
  trading_fee      NUMERIC(38, 18) NOT NULL
);
CREATE INDEX IF NOT EXISTS rebalances_fund_time ON rebalances (fund_id, event_time);

-- Connector funds, topic fund-state (compacted): one row per fund, upserted by fund_id: its status,
-- the definition in force (target leverage, band, threshold, fees) and its cumulative costs. The
-- dashboard reads the band and the inception values from here.
CREATE TABLE IF NOT EXISTS funds (
  fund_id                     TEXT           NOT NULL PRIMARY KEY,
  underlying                  TEXT           NOT NULL,
  status                      TEXT           NOT NULL,
  event_time                  TIMESTAMPTZ    NOT NULL,
  shares                      NUMERIC(38, 18) NOT NULL,
  direction                   TEXT           NOT NULL,
  target_leverage             NUMERIC(38, 18) NOT NULL,
  initial_nav                 NUMERIC(38, 18) NOT NULL,
  threshold_move              NUMERIC(38, 18),
  min_leverage                NUMERIC(38, 18),
  max_leverage                NUMERIC(38, 18),
  management_fee_daily        NUMERIC(38, 18),
  trading_fee_rate            NUMERIC(38, 18),
  daily_rebalance_time        TEXT,
  rebalance_time_zone         TEXT,
  last_rebalance_price        NUMERIC(38, 18),
  last_rebalance_time         TIMESTAMPTZ,
  next_scheduled_rebalance    TIMESTAMPTZ,
  rebalance_sequence          BIGINT         NOT NULL,
  cumulative_management_fees  NUMERIC(38, 18) NOT NULL,
  cumulative_trading_fees     NUMERIC(38, 18) NOT NULL,
  cumulative_funding          NUMERIC(38, 18) NOT NULL,
  rebalances_paused           BOOLEAN        NOT NULL
);
