-- bot-action-worker: the execution ledger, X rate-limit buckets and refreshed tokens, shared by all replicas.

-- One row per actionId: the exactly-once record of what was done on X.
CREATE TABLE bot_action_executions (
    action_id       uuid PRIMARY KEY,
    bot_id          text        NOT NULL,
    type            text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('IN_PROGRESS', 'SUCCEEDED', 'FAILED')),
    -- A request was sent and its answer never came (crash, timeout): reconcile before calling again.
    outcome_unknown boolean     NOT NULL DEFAULT false,
    external_id     text,
    error           text,
    attempts        integer     NOT NULL DEFAULT 0,
    -- The worker holding the action until then; another may take it over afterwards.
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX bot_action_executions_bot ON bot_action_executions (bot_id, created_at);

-- X's rate-limit buckets per bot and endpoint, as its x-rate-limit-* headers last told, minus calls since.
CREATE TABLE x_rate_limits (
    bot_id      text        NOT NULL,
    endpoint    text        NOT NULL,
    -- NULL while the first call of a window is under way (its response tells the window).
    rate_limit  integer,
    remaining   integer     NOT NULL,
    reset_at    timestamptz NOT NULL,
    PRIMARY KEY (bot_id, endpoint)
);

-- Tokens refreshed by a worker. X rotates refresh tokens, so every replica must use the latest pair.
CREATE TABLE x_bot_tokens (
    bot_id        text PRIMARY KEY,
    access_token  text        NOT NULL,
    refresh_token text,
    expires_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
